/**
 * The portal the fuzz test posts to: the demo data set plus a few people of the test's own, on a
 * database of its own (a clone of the run's template on PostgreSQL, an embedded data directory on
 * PGlite), served by the production build. `World` holds the ids the table of actions needs: the
 * route ids of each page and pools of existing ids (some belonging to other people) for id fields.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openEmbedded, openPostgres, type DatabaseHandle } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import type { Database } from '../../src/lib/server/db/schema';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../../src/lib/server/demo/seed';
import { addDays, today } from '../../src/lib/server/clock';
import { book } from '../../src/lib/server/doctors/appointments';
import { slotStates } from '../../src/lib/server/doctors/slots';
import { createAccount, createPerson, FACTORY_PASSWORD } from '../helpers/factories';
import { createPostgresDatabase, onPostgres } from '../helpers/db';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

export type Role = 'visitor' | 'resident' | 'trainer' | 'doctor' | 'staff' | 'district' | 'admin' | 'own' | 'leaver';

export type World = {
	community: { dongmen: number; lixin: number };
	/** The demo accounts' account and person ids. */
	accounts: Record<'resident' | 'trainer' | 'doctor' | 'staff' | 'admin', { accountId: number; personId: number; phone: string }>;
	/** The test's own resident (changes its profile, password, data) and one that logs out. */
	own: { accountId: number; personId: number; login: string };
	leaver: { accountId: number; login: string };
	/** Staff of every community: only they manage the training courses (the demo staff look after 东门). */
	district: { accountId: number; login: string };
	/** An account the admin grants, revokes, disables; people the admin may merge. */
	victim: { accountId: number; personId: number; roleIds: number[] };
	mergeable: number[];
	/** A person of 东门 that staff look after at the counter. */
	walkIn: number;
	doctorId: number;
	studioId: number;
	/** The demo resident's active appointment, and one of the demo doctor's. */
	residentAppointment: number;
	doctorAppointment: number;
	space: { id: number; code: string; seriesId: number; sessionId: number; cancelSessionId: number };
	courseId: number;
	staffTrainingSession: number;
	trainerSession: { id: number; reservationId: number; trainees: number[]; skills: number[] };
	certificateId: number;
	pools: Record<
		| 'reservation'
		| 'person'
		| 'account'
		| 'occurrence'
		| 'certificate'
		| 'notification'
		| 'householdLink'
		| 'availability'
		| 'exception'
		| 'outbox'
		| 'accountRole'
		| 'series'
		| 'doctor'
		| 'course'
		| 'community',
		number[]
	>;
};

const ids = async (db: Kysely<Database>, query: string): Promise<number[]> =>
	(await sql<{ id: number }>`${sql.raw(query)}`.execute(db)).rows.map((r) => Number(r.id));

const one = async (db: Kysely<Database>, what: string, query: string): Promise<number> => {
	const found = await ids(db, query);
	if (found.length === 0) throw new Error(`The fuzz world has no ${what}: ${query}`);
	return found[0]!;
};

async function build(db: Kysely<Database>): Promise<World> {
	await seedDemoData(db);
	const byPhone = async (phone: string) => {
		const row = await db.selectFrom('account').select(['id', 'person_id']).where('login_phone', '=', phone).executeTakeFirstOrThrow();
		return { accountId: row.id, personId: row.person_id, phone };
	};
	const demo = Object.fromEntries(
		await Promise.all(
			DEMO_ACCOUNTS.map(async (a) => [a.roles.find((r) => r.role !== 'resident')?.role ?? 'resident', await byPhone(a.phone)])
		)
	) as World['accounts'];
	const dongmen = await one(db, 'community', `SELECT id FROM community WHERE code = 'dongmen'`);
	const lixin = await one(db, 'community', `SELECT id FROM community WHERE code = 'lixin'`);
	const own = await createAccount(db, { communityId: dongmen, familyName: '测', givenName: '试' });
	const leaver = await createAccount(db, { communityId: dongmen });
	const district = await createAccount(db, { communityId: dongmen, roles: ['resident', 'staff'] });
	const victim = await createAccount(db, { communityId: dongmen, roles: ['resident', { role: 'staff', communityId: lixin }] });
	const mergeable = [(await createPerson(db, { communityId: dongmen })).id, (await createPerson(db, { communityId: dongmen })).id];
	const walkIn = (await createPerson(db, { communityId: dongmen })).id;

	const doctorId = await one(db, 'demo doctor', `SELECT id FROM doctor WHERE account_id = ${demo.doctor.accountId}`);
	// The demo resident books the doctor's first free slot from the day after tomorrow, as the page would.
	const free = (await slotStates(db, doctorId, addDays(today(), 2), addDays(today(), 14))).filter((s) => s.state === 'free');
	for (const slot of free.slice(0, 2)) {
		const actor = { accountId: demo.resident.accountId, personId: demo.resident.personId };
		const booked = await book(db, {
			doctorId,
			start: slot.start,
			personId: demo.resident.personId,
			actor,
			service: 'consultation',
			reason: null
		});
		if (!booked.ok) throw new Error(`The fuzz world could not book a slot: ${booked.reason}`);
	}
	const future = `o.starts_at > now() + interval '1 day'`;
	const space = await db
		.selectFrom('fitness_space')
		.select(['id', 'checkin_code'])
		.where('community_id', '=', dongmen)
		.orderBy('id')
		.executeTakeFirstOrThrow();
	return {
		community: { dongmen, lixin },
		accounts: demo,
		own: { accountId: own.accountId, personId: own.personId, login: own.login },
		leaver: { accountId: leaver.accountId, login: leaver.login },
		district: { accountId: district.accountId, login: district.login },
		victim: {
			accountId: victim.accountId,
			personId: victim.personId,
			roleIds: await ids(db, `SELECT id FROM account_role WHERE account_id = ${victim.accountId}`)
		},
		mergeable,
		walkIn,
		doctorId,
		studioId: await one(db, 'studio', `SELECT studio_id AS id FROM doctor WHERE id = ${doctorId}`),
		residentAppointment: await one(
			db,
			"the resident's appointment",
			`SELECT r.id FROM reservation r JOIN appointment a ON a.reservation_id = r.id JOIN occurrence o ON o.id = r.occurrence_id
			 WHERE r.person_id = ${demo.resident.personId} AND a.active AND ${future} ORDER BY r.id`
		),
		doctorAppointment: await one(
			db,
			"the doctor's appointment",
			`SELECT r.id FROM reservation r JOIN appointment a ON a.reservation_id = r.id JOIN occurrence o ON o.id = r.occurrence_id
			 WHERE a.doctor_id = ${doctorId} AND a.active AND ${future} ORDER BY r.id DESC`
		),
		space: {
			id: space.id,
			code: space.checkin_code,
			seriesId: await one(db, 'series', `SELECT id FROM fitness_series WHERE space_id = ${space.id} ORDER BY id`),
			sessionId: await one(
				db,
				'fitness session',
				`SELECT o.id FROM fitness_session f JOIN occurrence o ON o.id = f.occurrence_id WHERE f.space_id = ${space.id} AND ${future} ORDER BY o.starts_at`
			),
			// Another one to call off: the edit form is gone from a called-off session, and the edge pass needs it.
			cancelSessionId: await one(
				db,
				'fitness session to cancel',
				`SELECT o.id FROM fitness_session f JOIN occurrence o ON o.id = f.occurrence_id WHERE f.space_id = ${space.id} AND ${future} ORDER BY o.starts_at DESC`
			)
		},
		courseId: await one(db, 'course', `SELECT id FROM training_course ORDER BY id`),
		staffTrainingSession: await one(
			db,
			'training session in 东门',
			`SELECT o.id FROM training_session t JOIN occurrence o ON o.id = t.occurrence_id WHERE o.community_id = ${dongmen} AND ${future} ORDER BY o.starts_at`
		),
		trainerSession: await (async () => {
			const id = await one(
				db,
				"the trainer's finished session",
				`SELECT o.id FROM training_session t JOIN occurrence o ON o.id = t.occurrence_id
				 WHERE t.trainer_account_id = ${demo.trainer.accountId} AND o.ends_at < now() ORDER BY o.starts_at DESC`
			);
			const trainees = await ids(db, `SELECT id FROM reservation WHERE occurrence_id = ${id} ORDER BY id`);
			if (trainees.length === 0) throw new Error('The fuzz world has no trainees');
			const skills = await ids(
				db,
				`SELECT k.id FROM training_skill k JOIN training_session t ON t.course_id = k.course_id WHERE t.occurrence_id = ${id}`
			);
			return { id, reservationId: trainees[0]!, trainees, skills };
		})(),
		certificateId: await one(
			db,
			'certificate in 东门',
			`SELECT c.id FROM certificate c JOIN occurrence o ON o.id = (SELECT occurrence_id FROM reservation WHERE id = c.reservation_id)
			 WHERE o.community_id = ${dongmen} ORDER BY c.id`
		),
		pools: {
			reservation: await ids(db, 'SELECT id FROM reservation ORDER BY id LIMIT 60'),
			person: await ids(db, 'SELECT id FROM person ORDER BY id LIMIT 60'),
			account: await ids(db, 'SELECT id FROM account ORDER BY id'),
			occurrence: await ids(db, 'SELECT id FROM occurrence ORDER BY id LIMIT 60'),
			certificate: await ids(db, 'SELECT id FROM certificate ORDER BY id'),
			notification: await ids(db, 'SELECT id FROM notification ORDER BY id LIMIT 30'),
			householdLink: await ids(db, 'SELECT id FROM household_link ORDER BY id'),
			availability: await ids(db, 'SELECT id FROM doctor_availability ORDER BY id'),
			exception: await ids(db, 'SELECT id FROM doctor_exception ORDER BY id'),
			outbox: await ids(db, 'SELECT id FROM outbox ORDER BY id LIMIT 30'),
			// Roles of the victim only: revoking a demo account's role would end the fuzzing of its pages.
			accountRole: await ids(db, `SELECT id FROM account_role WHERE account_id = ${victim.accountId}`),
			series: await ids(db, 'SELECT id FROM fitness_series ORDER BY id'),
			doctor: await ids(db, 'SELECT id FROM doctor ORDER BY id'),
			course: await ids(db, 'SELECT id FROM training_course ORDER BY id'),
			community: await ids(db, 'SELECT id FROM community ORDER BY id')
		}
	};
}

/** Every table's row count, in one query. */
export async function allCounts(db: Kysely<Database>): Promise<Record<string, number>> {
	const tables = (
		await sql<{
			name: string;
		}>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely_%' ORDER BY 1`.execute(db)
	).rows.map((r) => r.name);
	// A page shown again after a refusal is a view of personal data, rightly audited: views are not counted.
	const count = (t: string) =>
		t === 'audit_log' ? `(SELECT count(*) FROM audit_log WHERE action NOT LIKE '%view')` : `(SELECT count(*) FROM "${t}")`;
	const row = (await sql<Record<string, string>>`SELECT ${sql.raw(tables.map((t) => `${count(t)} AS "${t}"`).join(', '))}`.execute(db))
		.rows[0]!;
	return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

export class FuzzPortal {
	private constructor(
		readonly world: World,
		readonly server: ServerProcess,
		/** PostgreSQL only: the test's own connection to the server's database, usable while it runs. */
		private readonly live: DatabaseHandle | null,
		private readonly dataDir: string | null,
		readonly clients: Record<Role, Client>
	) {}

	static async start(): Promise<FuzzPortal> {
		const env = {
			DEMO: '1',
			WORKER_INTERVAL_SECONDS: '0',
			REGISTRATIONS_PER_HOUR: '1000000',
			VERIFICATIONS_PER_MINUTE: '1000000',
			LOG_LEVEL: 'warn'
		};
		let world: World;
		let server: ServerProcess;
		let live: DatabaseHandle | null = null;
		let dataDir: string | null = null;
		if (onPostgres()) {
			const { url } = await createPostgresDatabase();
			live = openPostgres(url, 2);
			world = await build(live.db);
			server = await startServer({ databaseUrl: url, env });
		} else {
			dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-fuzz-'));
			const handle = await openEmbedded(dataDir);
			try {
				await migrateToLatest(handle.db);
				world = await build(handle.db);
			} finally {
				await handle.close();
			}
			server = await startServer({ dataDir, env });
		}
		const login = async (phone: string, password: string) => {
			const client = new Client(server.url);
			const response = await client.login(phone, password);
			if (response.status !== 303) throw new Error(`Log-in for the fuzz test failed with ${response.status}`);
			return client;
		};
		const clients: Record<Role, Client> = {
			visitor: new Client(server.url),
			resident: await login(world.accounts.resident.phone, DEMO_PASSWORD),
			trainer: await login(world.accounts.trainer.phone, DEMO_PASSWORD),
			doctor: await login(world.accounts.doctor.phone, DEMO_PASSWORD),
			staff: await login(world.accounts.staff.phone, DEMO_PASSWORD),
			district: await login(world.district.login, FACTORY_PASSWORD),
			admin: await login(world.accounts.admin.phone, DEMO_PASSWORD),
			own: await login(world.own.login, FACTORY_PASSWORD),
			leaver: await login(world.leaver.login, FACTORY_PASSWORD)
		};
		return new FuzzPortal(world, server, live, dataDir, clients);
	}

	/** Row counts of every table while the server runs: PostgreSQL only, null on PGlite. */
	async counts(): Promise<Record<string, number> | null> {
		return this.live ? allCounts(this.live.db) : null;
	}

	async close(): Promise<void> {
		await this.server.stop();
		await this.live?.close();
		if (this.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
	}
}
