import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { book } from '../../src/lib/server/doctors/appointments';
import { appointmentsOutsideHours, cancelDay, markVisit, removeRule, rulesOf } from '../../src/lib/server/doctors/practice';
import { slotStates } from '../../src/lib/server/doctors/slots';
import { createStudio, linkDoctor, studiosForStaff, updateStudio } from '../../src/lib/server/doctors/studios';
import { agenda } from '../../src/lib/server/doctors/views';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity } from '../helpers/factories';
import { resident, studioInput, studioWithDoctor } from './setup';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const MONDAY = shanghaiInstant('2026-11-30', '08:00');
const at = (day: string, time: string) => shanghaiInstant(day, time);

async function booked(doctorId: number, start: Date) {
	const r = await resident(t.db);
	const result = await book(t.db, { doctorId, start, personId: r.personId, actor: r.actor, service: 'consultation', reason: null });
	if (!result.ok) throw new Error(result.reason);
	return { ...r, appointmentId: result.appointmentId };
}

describe('the doctor’s agenda', () => {
	it('shows only the doctor’s own patients, and a doctor cannot mark another doctor’s visit', async () => {
		const clock = fixedClock(MONDAY);
		setClock(clock);
		const mine = await studioWithDoctor(t.db);
		const other = await studioWithDoctor(t.db);
		const a = await booked(mine.doctor.id, at('2026-12-01', '09:00'));
		await booked(other.doctor.id, at('2026-12-01', '09:00'));
		const list = await agenda(t.db, mine.doctor.id, '2026-12-01', '2026-12-07', 'zh-CN');
		expect(list.map((x) => x.id)).toEqual([a.appointmentId]);
		expect(list[0]).toMatchObject({ patient: `${a.person.family_name}${a.person.given_name}`, phone: a.person.phone });
		clock.set(at('2026-12-01', '09:10'));
		expect(await markVisit(t.db, other.doctor, { appointmentId: a.appointmentId, outcome: 'attended' })).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(await markVisit(t.db, mine.doctor, { appointmentId: a.appointmentId, outcome: 'attended' })).toEqual({ ok: true });
		// A mistake can be corrected.
		expect(await markVisit(t.db, mine.doctor, { appointmentId: a.appointmentId, outcome: 'no_show' })).toEqual({ ok: true });
		const history = await t.db
			.selectFrom('reservation_event')
			.select(['to_status', 'reason'])
			.where('reservation_id', '=', a.appointmentId)
			.orderBy('id')
			.execute();
		expect(history.map((h) => h.to_status)).toEqual(['reserved', 'attended', 'no_show']);
	});

	it('offers only the marks it would accept: none for a visit still to come, "seen" from an hour before, "did not come" once started', async () => {
		const clock = fixedClock(MONDAY);
		setClock(clock);
		const { doctor } = await studioWithDoctor(t.db);
		const a = await booked(doctor.id, at('2026-12-01', '09:00'));
		const marksAt = async (time: string) => {
			clock.set(at('2026-12-01', time));
			return (await agenda(t.db, doctor.id, '2026-12-01', '2026-12-01', 'zh-CN'))[0]!.marks;
		};
		// The day before, and just before the hour: nothing to offer, and marking is refused.
		clock.set(MONDAY);
		expect((await agenda(t.db, doctor.id, '2026-12-01', '2026-12-01', 'zh-CN'))[0]!.marks).toEqual([]);
		expect(await markVisit(t.db, doctor, { appointmentId: a.appointmentId, outcome: 'attended' })).toEqual({
			ok: false,
			reason: 'not-markable'
		});
		expect(await marksAt('07:59')).toEqual([]);
		expect(await marksAt('08:00')).toEqual(['attended']);
		expect(await marksAt('09:00')).toEqual(['attended', 'no_show']);
		// What is offered is accepted; a visit marked seen offers only the correction.
		expect(await markVisit(t.db, doctor, { appointmentId: a.appointmentId, outcome: 'attended' })).toEqual({ ok: true });
		expect(await marksAt('09:10')).toEqual(['no_show']);
	});

	it('no-show cannot be marked before the visit has started', async () => {
		setClock(fixedClock(MONDAY));
		const { doctor } = await studioWithDoctor(t.db);
		const a = await booked(doctor.id, at('2026-12-01', '09:00'));
		expect(await markVisit(t.db, doctor, { appointmentId: a.appointmentId, outcome: 'no_show' })).toEqual({
			ok: false,
			reason: 'not-markable'
		});
	});
});

describe('calling off a day', () => {
	it('cancels every appointment on the day, tells each person once with a link to rebook, and takes the day off the slots', async () => {
		setClock(fixedClock(MONDAY));
		const { doctor } = await studioWithDoctor(t.db);
		const a = await booked(doctor.id, at('2026-12-02', '09:00'));
		const b = await booked(doctor.id, at('2026-12-02', '10:00'));
		// a also holds a second slot that day: still one notice for a.
		const second = await book(t.db, {
			doctorId: doctor.id,
			start: at('2026-12-02', '11:00'),
			personId: a.personId,
			actor: a.actor,
			service: 'consultation',
			reason: null
		});
		expect(second.ok).toBe(true);
		const keep = await booked(doctor.id, at('2026-12-03', '09:00'));
		const result = await cancelDay(t.db, doctor, { day: '2026-12-02', message: '外出培训' });
		expect(result).toEqual({ ok: true, people: 2 });
		const notices = await t.db
			.selectFrom('notification')
			.select(['person_id', 'link'])
			.where('kind', '=', 'doctor_cancelled')
			.where('person_id', 'in', [a.personId, b.personId, keep.personId])
			.execute();
		expect(notices.sort((x, y) => x.person_id - y.person_id)).toEqual(
			[a.personId, b.personId].sort((x, y) => x - y).map((person_id) => ({ person_id, link: `/doctors/${doctor.id}` }))
		);
		const statuses = await t.db
			.selectFrom('reservation')
			.select(['person_id', 'status'])
			.where('person_id', 'in', [a.personId, b.personId, keep.personId])
			.execute();
		expect(statuses.filter((s) => s.status === 'reserved').map((s) => s.person_id)).toEqual([keep.personId]);
		expect(await slotStates(t.db, doctor.id, '2026-12-02', '2026-12-02')).toEqual([]);
	});
});

describe('changing the hours', () => {
	it('never drops a booking silently: those outside the new hours are listed', async () => {
		setClock(fixedClock(MONDAY));
		const { doctor } = await studioWithDoctor(t.db);
		const a = await booked(doctor.id, at('2026-12-01', '09:00'));
		await booked(doctor.id, at('2026-12-02', '09:00'));
		expect(await appointmentsOutsideHours(t.db, doctor)).toEqual([]);
		const tuesday = (await rulesOf(t.db, doctor)).rules.find((r) => r.weekday === 2)!;
		expect(await removeRule(t.db, doctor, tuesday.id)).toBe(true);
		const outside = await appointmentsOutsideHours(t.db, doctor);
		expect(outside.map((o) => o.id)).toEqual([a.appointmentId]);
		const still = await t.db.selectFrom('reservation').select('status').where('id', '=', a.appointmentId).executeTakeFirstOrThrow();
		expect(still.status).toBe('reserved');
	});
});

describe('staff limited to a community', () => {
	it('manage only the studios of their community', async () => {
		const [east, west] = [await createCommunity(t.db), await createCommunity(t.db)];
		const eastStaff = { accountId: null, roles: [{ role: 'staff' as const, communityId: east.id }] };
		expect(await createStudio(t.db, eastStaff, studioInput(west.id))).toEqual({ ok: false, reason: 'out-of-scope' });
		const mine = await createStudio(t.db, eastStaff, studioInput(east.id));
		expect(mine.ok).toBe(true);
		const { studioId: westStudio } = await studioWithDoctor(t.db, { communityId: west.id });
		expect(await updateStudio(t.db, eastStaff, westStudio, studioInput(west.id))).toEqual({ ok: false, reason: 'out-of-scope' });
		const doctorAccount = await createAccount(t.db, { roles: ['doctor'] });
		const link = { phone: doctorAccount.login, titleZh: '医生', titleEn: 'Doctor', services: ['consultation' as const] };
		expect(await linkDoctor(t.db, eastStaff, westStudio, link)).toEqual({ ok: false, reason: 'out-of-scope' });
		const visible = await studiosForStaff(t.db, eastStaff, 'zh-CN');
		expect(visible.every((s) => s.communityId === east.id)).toBe(true);
		// Only an account holding the doctor role can be linked.
		const plain = await createAccount(t.db);
		if (!mine.ok) return;
		expect(await linkDoctor(t.db, eastStaff, mine.studioId, { ...link, phone: plain.login })).toEqual({
			ok: false,
			reason: 'not-a-doctor'
		});
		expect(await linkDoctor(t.db, eastStaff, mine.studioId, link)).toEqual({ ok: true, studioId: mine.studioId });
	});
});
