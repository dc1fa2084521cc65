/** Staff book a family doctor's slot at the counter: the person's rules, the staff member's community, audited. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { nearestFree } from '../../src/lib/server/doctors/slots';
import { bookDoctorAtCounter, counterDoctorDay, counterDoctors } from '../../src/lib/server/households/counter';
import { studioWithDoctor } from '../doctors/setup';
import { describeOnPostgres } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity, createOccurrence, createPerson } from '../helpers/factories';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

let t: TestDatabase;
let server: ServerProcess | undefined;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(async () => {
	await server?.stop();
	await t?.close();
});
afterEach(() => resetClock());

const DAY = 24 * 60 * 60_000;

async function counter() {
	const community = await createCommunity(t.db);
	const elsewhere = await createCommunity(t.db);
	const staff = await createAccount(t.db, { roles: [{ role: 'staff', communityId: community.id }] });
	const actor = { accountId: staff.accountId, roles: [{ role: 'staff' as const, communityId: community.id }] };
	const { doctor } = await studioWithDoctor(t.db, { communityId: community.id });
	const { doctor: farDoctor } = await studioWithDoctor(t.db, { communityId: elsewhere.id });
	const walkIn = await createPerson(t.db, { communityId: community.id, familyName: '钱', givenName: '阿婆', phone: null });
	const stranger = await createPerson(t.db, { communityId: elsewhere.id });
	return { community, staff, actor, doctor, farDoctor, walkIn, stranger };
}

describe('a family doctor at the counter', () => {
	it('books a free slot for a person of the community, "booked by staff X for Y", under the person\'s limit', async () => {
		// Monday 30 November 2026, 08:00 in Shanghai; the doctors work weekday mornings 09:00–12:00.
		setClock(fixedClock(shanghaiInstant('2026-11-30', '08:00')));
		const { staff, actor, doctor, farDoctor, walkIn, stranger } = await counter();

		// The staff member picks among their own community's doctors only, then a day and a free slot.
		expect((await counterDoctors(t.db, actor, 'zh-CN')).map((d) => d.id)).toEqual([doctor.id]);
		expect(await counterDoctorDay(t.db, actor, farDoctor.id, null)).toBeNull();
		const tuesday = await counterDoctorDay(t.db, actor, doctor.id, '2026-12-01');
		expect(tuesday?.day).toBe('2026-12-01');
		expect(tuesday?.slots.map((s) => s.start.toISOString())).toContain(shanghaiInstant('2026-12-01', '09:00').toISOString());

		const start = shanghaiInstant('2026-12-01', '09:00');
		const booked = await bookDoctorAtCounter(t.db, actor, walkIn.id, { doctorId: doctor.id, start, service: 'consultation', reason: null });
		if (!booked.ok) throw new Error(booked.reason);
		const row = await t.db.selectFrom('reservation').selectAll().where('id', '=', booked.appointmentId).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ person_id: walkIn.id, booked_by: staff.accountId, status: 'reserved' });
		const event = await t.db
			.selectFrom('reservation_event')
			.select(['reason', 'actor_account_id'])
			.where('reservation_id', '=', booked.appointmentId)
			.executeTakeFirstOrThrow();
		expect(event).toEqual({ reason: 'booked_for', actor_account_id: staff.accountId });
		const entry = await t.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'appointment.book_for_person')
			.where('subject_id', '=', String(walkIn.id))
			.executeTakeFirstOrThrow();
		expect(entry).toMatchObject({
			actor_account_id: staff.accountId,
			details: { appointment_id: booked.appointmentId, doctor_id: doctor.id }
		});
		// The slot is now taken for everyone.
		expect((await counterDoctorDay(t.db, actor, doctor.id, '2026-12-01'))?.slots.map((s) => s.start.getTime())).not.toContain(
			start.getTime()
		);

		// The person's limit (two upcoming appointments) holds at the counter too; a refusal leaves no audit entry.
		const second = await bookDoctorAtCounter(t.db, actor, walkIn.id, {
			doctorId: doctor.id,
			start: shanghaiInstant('2026-12-02', '09:00'),
			service: 'consultation',
			reason: null
		});
		expect(second.ok).toBe(true);
		expect(
			await bookDoctorAtCounter(t.db, actor, walkIn.id, {
				doctorId: doctor.id,
				start: shanghaiInstant('2026-12-03', '09:00'),
				service: 'consultation',
				reason: null
			})
		).toEqual({ ok: false, reason: 'limit' });
		const entries = await t.db
			.selectFrom('audit_log')
			.select('id')
			.where('action', '=', 'appointment.book_for_person')
			.where('subject_id', '=', String(walkIn.id))
			.execute();
		expect(entries).toHaveLength(2);

		// Someone of another community, or another community's doctor: out of reach.
		const later = shanghaiInstant('2026-12-04', '09:00');
		expect(
			await bookDoctorAtCounter(t.db, actor, stranger.id, { doctorId: doctor.id, start: later, service: 'consultation', reason: null })
		).toEqual({
			ok: false,
			reason: 'out-of-scope'
		});
		const other = await createPerson(t.db, { communityId: walkIn.communityId });
		expect(
			await bookDoctorAtCounter(t.db, actor, other.id, { doctorId: farDoctor.id, start: later, service: 'consultation', reason: null })
		).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(await t.db.selectFrom('reservation').select('id').where('person_id', 'in', [stranger.id, other.id]).execute()).toEqual([]);
	});
});

describeOnPostgres('a family doctor at the counter over HTTP', () => {
	it('shows the free slots of the chosen doctor and day, books one, and refuses a field left out next to it', async () => {
		server = await startServer({ databaseUrl: t.url!, env: { WORKER_INTERVAL_SECONDS: '0' } });
		const { staff, doctor, walkIn, stranger } = await counter();
		const [slot] = await nearestFree(t.db, doctor.id, new Date(Date.now() + 3 * DAY));
		const day = new Date(slot!.start.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
		const client = new Client(server.url);
		expect((await client.login(staff.login, staff.password)).status).toBe(303);

		const page = await (await client.get(`/staff/people/${walkIn.id}?doctor=${doctor.id}&day=${day}`)).text();
		expect(page).toContain('窗口代约家庭医生');
		expect(page).toContain(`value="${slot!.start.toISOString()}"`);

		const missing = await client.post(`/staff/people/${walkIn.id}?doctor=${doctor.id}&day=${day}&/bookDoctor`, {
			doctorId: String(doctor.id),
			service: 'consultation'
		});
		expect(missing.status).toBe(400);
		expect(await missing.text()).toContain('id="counter-start-error"');

		const booked = await client.post(`/staff/people/${walkIn.id}?doctor=${doctor.id}&day=${day}&/bookDoctor`, {
			doctorId: String(doctor.id),
			start: slot!.start.toISOString(),
			service: 'consultation',
			reason: ''
		});
		expect(booked.status).toBe(200);
		expect(await booked.text()).toContain('已为这位居民预约家庭医生');
		const row = await t.db
			.selectFrom('reservation')
			.select(['person_id', 'booked_by'])
			.where('person_id', '=', walkIn.id)
			.executeTakeFirstOrThrow();
		expect(row.booked_by).toBe(staff.accountId);

		// Someone of another community: as if missing, nothing written.
		const refused = await client.post(`/staff/people/${stranger.id}?/bookDoctor`, {
			doctorId: String(doctor.id),
			start: slot!.start.toISOString(),
			service: 'consultation'
		});
		expect(refused.status).toBe(404);
		expect(await t.db.selectFrom('reservation').select('id').where('person_id', '=', stranger.id).execute()).toEqual([]);
	});
});

describeOnPostgres('a full session at the counter over HTTP', () => {
	it('says the person is waitlisted at position N, not booked, and the drop-down shows places left or full, in both languages', async () => {
		server ??= await startServer({ databaseUrl: t.url!, env: { WORKER_INTERVAL_SECONDS: '0' } });
		const community = await createCommunity(t.db);
		const roles = [{ role: 'staff' as const, communityId: community.id }];
		const staff = await createAccount(t.db, { roles });
		const englishStaff = await createAccount(t.db, { roles, locale: 'en' });
		const [holder, waiting, next] = [
			await createPerson(t.db, { communityId: community.id }),
			await createPerson(t.db, { communityId: community.id }),
			await createPerson(t.db, { communityId: community.id })
		];
		const occ = await createOccurrence(t.db, {
			startsAt: new Date(Date.now() + 2 * DAY),
			communityId: community.id,
			capacity: 1,
			title: '满员太极'
		});
		const zh = new Client(server.url);
		expect((await zh.login(staff.login, staff.password)).status).toBe(303);
		const en = new Client(server.url);
		expect((await en.login(englishStaff.login, englishStaff.password)).status).toBe(303);
		const option = async (client: Client, personId: number) =>
			new RegExp(`<option value="${occ.id}"[^>]*>([^<]*)</option`).exec(await (await client.get(`/staff/people/${personId}`)).text())?.[1];

		expect(await option(zh, holder!.id)).toContain('满员太极 · 剩余 1 个名额');
		const booked = await zh.post(`/staff/people/${holder!.id}?/book`, { occurrenceId: String(occ.id) });
		expect(await booked.text()).toContain('已为这位居民预约。');

		expect(await option(zh, waiting!.id)).toContain('满员太极 · 已满，可以候补');
		expect(await option(en, waiting!.id)).toContain('满员太极 · Full: join the waiting list');
		const waitlisted = await zh.post(`/staff/people/${waiting!.id}?/book`, { occurrenceId: String(occ.id) });
		const text = await waitlisted.text();
		expect(text).toContain('已加入候补，排在第 1 位');
		expect(text).not.toContain('已为这位居民预约。');
		const second = await en.post(`/staff/people/${next!.id}?/book`, { occurrenceId: String(occ.id) });
		expect(await second.text()).toContain('on the waiting list at position 2');
	});
});
