/**
 * Demo data for demo mode: filled on the first start, never outside demo mode.
 * Each later feature adds its part here; every part is idempotent. Demo accounts share one
 * precomputed password hash (argon2id of DEMO_PASSWORD), so seeding hashes nothing.
 */
import { sql, type Kysely } from 'kysely';
import { now, today } from '../clock';
import { joinTransaction } from '../db/joined';
import type { Database } from '../db/schema';
import type { Role } from '../auth/roles';
import { seedFitness } from './fitness';
import { seedDoctors } from './doctors';
import { seedTraining } from './training';

export const DEMO_COMMUNITIES = [
	{ code: 'dongmen', name_zh: '东门社区', name_en: 'Dongmen Community', population: 12_800 },
	{ code: 'lixin', name_zh: '立新社区', name_en: 'Lixin Community', population: 9_600 },
	{ code: 'hubei', name_zh: '湖贝社区', name_en: 'Hubei Community', population: 11_200 }
] as const;

export const DEMO_PASSWORD = 'Dongmen-demo-2026';
const DEMO_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$69BNLkI7gULbnkQbCk3mCg$DW3MfOmAss1VjbmTEvPEqZWJqytvGjLdvcckyIrycFo';

type DemoAccount = {
	phone: string;
	familyName: string;
	givenName: string;
	displayName: string | null;
	birthYear: number;
	community: (typeof DEMO_COMMUNITIES)[number]['code'];
	roles: { role: Role; community?: (typeof DEMO_COMMUNITIES)[number]['code'] }[];
};

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
	{
		phone: '13800000001',
		familyName: '王',
		givenName: '秀英',
		displayName: '王阿姨',
		birthYear: 1954,
		community: 'dongmen',
		roles: [{ role: 'resident' }]
	},
	{
		phone: '13800000002',
		familyName: '李',
		givenName: '建国',
		displayName: null,
		birthYear: 1980,
		community: 'lixin',
		roles: [{ role: 'resident' }, { role: 'trainer' }]
	},
	{
		phone: '13800000003',
		familyName: '陈',
		givenName: '志明',
		displayName: '陈医生',
		birthYear: 1975,
		community: 'dongmen',
		roles: [{ role: 'resident' }, { role: 'doctor' }]
	},
	{
		phone: '13800000004',
		familyName: '刘',
		givenName: '芳',
		displayName: null,
		birthYear: 1988,
		community: 'dongmen',
		roles: [{ role: 'resident' }, { role: 'staff', community: 'dongmen' }]
	},
	{
		phone: '13800000005',
		familyName: '欧阳',
		givenName: '伟',
		displayName: null,
		birthYear: 1979,
		community: 'hubei',
		roles: [{ role: 'resident' }, { role: 'admin' }]
	}
];

export async function seedDemo(db: Kysely<Database>): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const communityIds = new Map<string, number>();
		for (const c of DEMO_COMMUNITIES) {
			const inserted = await trx
				.insertInto('community')
				.values({ code: c.code, name_zh: c.name_zh, name_en: c.name_en })
				.onConflict((oc) => oc.column('code').doNothing())
				.returning('id')
				.executeTakeFirst();
			if (inserted) {
				await trx
					.insertInto('community_population')
					.values({ community_id: inserted.id, population: c.population, effective_from: '2026-01-01' })
					.execute();
			}
			const row = await trx.selectFrom('community').select('id').where('code', '=', c.code).executeTakeFirstOrThrow();
			communityIds.set(c.code, row.id);
		}

		for (const a of DEMO_ACCOUNTS) {
			const existing = await trx.selectFrom('account').select('id').where('login_phone', '=', a.phone).executeTakeFirst();
			if (existing) {
				// Back in demo mode after a start without it: the account works again.
				await trx.updateTable('account').set({ disabled_at: null }).where('id', '=', existing.id).execute();
				continue;
			}
			const at = now();
			const person = await trx
				.insertInto('person')
				.values({
					family_name: a.familyName,
					given_name: a.givenName,
					display_name: a.displayName,
					phone: a.phone,
					birth_year: a.birthYear
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('community_membership')
				.values({
					person_id: person.id,
					community_id: communityIds.get(a.community)!,
					valid_from: '2026-01-01' < today() ? '2026-01-01' : today()
				})
				.execute();
			const account = await trx
				.insertInto('account')
				.values({ person_id: person.id, login_phone: a.phone, password_hash: DEMO_PASSWORD_HASH, privacy_accepted_at: at })
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('account_role')
				.values(
					a.roles.map((r) => ({ account_id: account.id, role: r.role, community_id: r.community ? communityIds.get(r.community)! : null }))
				)
				.execute();
		}
	});
}

/** Concurrent demo fills of app servers starting together on one PostgreSQL wait for each other. */
const DEMO_FILL_LOCK = 2026_1126;

/**
 * The whole demo data set, all or nothing: one transaction that the services called here join, so a
 * start killed midway leaves no half-made demo (the next start fills all of it). Each part is
 * idempotent, so later starts only re-enable the demo accounts. `midway` runs in the middle of a
 * part (tests only: a first start is killed there).
 */
export async function seedDemoData(db: Kysely<Database>, options: { midway?: () => Promise<void> } = {}): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await sql`SELECT pg_advisory_xact_lock(${DEMO_FILL_LOCK})`.execute(trx);
		const joined = joinTransaction(trx);
		await seedDemo(joined);
		await seedFitness(joined);
		await seedDoctors(joined);
		await seedTraining(joined, options.midway);
	});
}

/** Outside demo mode the demo accounts cannot be used: disabled, their sessions ended. */
export async function retireDemoAccounts(db: Kysely<Database>): Promise<number> {
	const phones = DEMO_ACCOUNTS.map((a) => a.phone);
	return db.transaction().execute(async (trx) => {
		const retired = await trx
			.updateTable('account')
			.set({ disabled_at: now() })
			.where('login_phone', 'in', phones)
			.where('disabled_at', 'is', null)
			.returning('id')
			.execute();
		if (retired.length > 0) {
			await trx
				.deleteFrom('session')
				.where(
					'account_id',
					'in',
					retired.map((r) => r.id)
				)
				.execute();
		}
		return retired.length;
	});
}
