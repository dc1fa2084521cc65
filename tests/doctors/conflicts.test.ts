import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { book } from '../../src/lib/server/doctors/appointments';
import { addException, appointmentsOutsideHours, cancelByDoctor, removeException, rulesOf } from '../../src/lib/server/doctors/practice';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { resident, studioWithDoctor } from './setup';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const at = (day: string, time: string) => shanghaiInstant(day, time);

describe('bookings that new leave no longer covers', () => {
	it('are listed, and the doctor cancels one with a message: the person is told once, with a link to book again', async () => {
		setClock(fixedClock(at('2026-11-30', '08:00')));
		const { doctor } = await studioWithDoctor(t.db);
		const other = await studioWithDoctor(t.db);
		const r = await resident(t.db);
		const booked = await book(t.db, {
			doctorId: doctor.id,
			start: at('2026-12-02', '09:30'),
			personId: r.personId,
			actor: r.actor,
			service: 'consultation',
			reason: null
		});
		if (!booked.ok) throw new Error(booked.reason);
		await addException(t.db, doctor, {
			day: '2026-12-02',
			kind: 'leave',
			startTime: '09:00',
			endTime: '10:00',
			slotMinutes: null,
			note: '开会'
		});
		expect((await appointmentsOutsideHours(t.db, doctor)).map((o) => o.id)).toEqual([booked.appointmentId]);
		// Another doctor cannot cancel it.
		expect(await cancelByDoctor(t.db, other.doctor, { appointmentId: booked.appointmentId, message: '不是我的' })).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(await cancelByDoctor(t.db, doctor, { appointmentId: booked.appointmentId, message: '临时开会' })).toEqual({ ok: true });
		expect(await appointmentsOutsideHours(t.db, doctor)).toEqual([]);
		const notices = await t.db
			.selectFrom('notification')
			.select(['kind', 'link', 'params'])
			.where('person_id', '=', r.personId)
			.where('kind', '=', 'doctor_cancelled')
			.execute();
		expect(notices).toHaveLength(1);
		expect(notices[0]).toMatchObject({ link: `/doctors/${doctor.id}`, params: expect.objectContaining({ message: '临时开会' }) });
		// Taking the leave back off offers the slot again.
		const leave = (await rulesOf(t.db, doctor)).exceptions[0]!;
		expect(await removeException(t.db, doctor, leave.id)).toBe(true);
		const again = await book(t.db, {
			doctorId: doctor.id,
			start: at('2026-12-02', '09:30'),
			personId: r.personId,
			actor: r.actor,
			service: 'consultation',
			reason: null
		});
		expect(again.ok).toBe(true);
	});
});
