import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { book, cancelAppointment, reschedule } from '../../src/lib/server/doctors/appointments';
import { addException } from '../../src/lib/server/doctors/practice';
import { slotStates } from '../../src/lib/server/doctors/slots';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { resident, studioWithDoctor } from './setup';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

// Monday 30 November 2026, 08:00 in Shanghai. Tuesday 1 December is the next working morning.
const MONDAY = shanghaiInstant('2026-11-30', '08:00');
const at = (day: string, time: string) => shanghaiInstant(day, time);

function clockAt(instant: Date) {
	const clock = fixedClock(instant);
	setClock(clock);
	return clock;
}

describe('slots', () => {
	it('are cut from the weekly hours in Shanghai time, and a booked one shows as taken', async () => {
		clockAt(MONDAY);
		const { doctor } = await studioWithDoctor(t.db);
		const before = await slotStates(t.db, doctor.id, '2026-12-01', '2026-12-01');
		expect(before.map((s) => s.start.toISOString())).toEqual([
			'2026-12-01T01:00:00.000Z',
			'2026-12-01T01:30:00.000Z',
			'2026-12-01T02:00:00.000Z',
			'2026-12-01T02:30:00.000Z',
			'2026-12-01T03:00:00.000Z',
			'2026-12-01T03:30:00.000Z'
		]);
		expect(before.every((s) => s.state === 'free')).toBe(true);
		const r = await resident(t.db);
		expect(
			await book(t.db, {
				doctorId: doctor.id,
				start: at('2026-12-01', '09:30'),
				personId: r.personId,
				actor: r.actor,
				service: 'consultation',
				reason: null
			})
		).toMatchObject({ ok: true });
		const after = await slotStates(t.db, doctor.id, '2026-12-01', '2026-12-01');
		expect(after.map((s) => s.state)).toEqual(['free', 'taken', 'free', 'free', 'free', 'free']);
		expect(await slotStates(t.db, doctor.id, '2026-12-05', '2026-12-06')).toEqual([]); // the weekend
	});

	it('a make-up working day offers slots, and they can be booked', async () => {
		clockAt(MONDAY);
		const { doctor } = await studioWithDoctor(t.db);
		await addException(t.db, doctor, {
			day: '2026-12-05',
			kind: 'extra',
			startTime: '14:00',
			endTime: '15:00',
			slotMinutes: 20,
			note: '调休'
		});
		const slots = await slotStates(t.db, doctor.id, '2026-12-05', '2026-12-05');
		expect(slots.map((s) => s.start.toISOString())).toEqual([
			'2026-12-05T06:00:00.000Z',
			'2026-12-05T06:20:00.000Z',
			'2026-12-05T06:40:00.000Z'
		]);
		const r = await resident(t.db);
		expect(
			await book(t.db, {
				doctorId: doctor.id,
				start: at('2026-12-05', '14:20'),
				personId: r.personId,
				actor: r.actor,
				service: 'consultation',
				reason: '复查'
			})
		).toMatchObject({ ok: true });
	});
});

describe('booking a slot', () => {
	it('gives the slot to the first person; the next is told it was just taken and shown the nearest free slots', async () => {
		clockAt(MONDAY);
		const { doctor } = await studioWithDoctor(t.db);
		const [a, b] = [await resident(t.db), await resident(t.db)];
		const start = at('2026-12-01', '10:00');
		const first = await book(t.db, {
			doctorId: doctor.id,
			start,
			personId: a.personId,
			actor: a.actor,
			service: 'consultation',
			reason: '血压复查'
		});
		expect(first).toMatchObject({ ok: true });
		const second = await book(t.db, {
			doctorId: doctor.id,
			start,
			personId: b.personId,
			actor: b.actor,
			service: 'consultation',
			reason: null
		});
		expect(second).toMatchObject({ ok: false, reason: 'taken' });
		const nearest = second.ok ? [] : (second.nearest ?? []);
		expect(nearest.map((s) => s.start.toISOString())).toEqual([
			'2026-12-01T01:00:00.000Z',
			'2026-12-01T01:30:00.000Z',
			'2026-12-01T02:30:00.000Z',
			'2026-12-01T03:00:00.000Z'
		]);
		// The booking is a booking-core occurrence with one place, held by the first person.
		const rows = await t.db
			.selectFrom('appointment')
			.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
			.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
			.select([
				'reservation.person_id',
				'reservation.status',
				'occurrence.programme',
				'occurrence.capacity',
				'appointment.active',
				'appointment.reason'
			])
			.where('appointment.doctor_id', '=', doctor.id)
			.execute();
		expect(rows).toEqual([
			{ person_id: a.personId, status: 'reserved', programme: 'doctor', capacity: 1, active: true, reason: '血压复查' }
		]);
	});

	it('after a cancellation someone else can book the same slot', async () => {
		clockAt(MONDAY);
		const { doctor } = await studioWithDoctor(t.db);
		const [a, b] = [await resident(t.db), await resident(t.db)];
		const start = at('2026-12-02', '11:00');
		const first = await book(t.db, {
			doctorId: doctor.id,
			start,
			personId: a.personId,
			actor: a.actor,
			service: 'consultation',
			reason: null
		});
		if (!first.ok) throw new Error(first.reason);
		expect(await cancelAppointment(t.db, { appointmentId: first.appointmentId, personId: a.personId, actor: a.actor })).toEqual({
			ok: true
		});
		const active = await t.db
			.selectFrom('appointment')
			.select('active')
			.where('reservation_id', '=', first.appointmentId)
			.executeTakeFirstOrThrow();
		expect(active.active).toBe(false); // the trigger keeps the appointment in step with the reservation
		expect(
			await book(t.db, { doctorId: doctor.id, start, personId: b.personId, actor: b.actor, service: 'consultation', reason: null })
		).toMatchObject({ ok: true });
	});

	it('the database refuses a second active appointment overlapping the doctor’s time, even by raw SQL', async () => {
		clockAt(MONDAY);
		const { doctor } = await studioWithDoctor(t.db);
		const a = await resident(t.db);
		const b = await resident(t.db);
		const booked = await book(t.db, {
			doctorId: doctor.id,
			start: at('2026-12-03', '09:00'),
			personId: a.personId,
			actor: a.actor,
			service: 'consultation',
			reason: null
		});
		if (!booked.ok) throw new Error(booked.reason);
		// A reservation of b's on some other occurrence, to hang the forged appointment on.
		const occ = await t.db
			.insertInto('occurrence')
			.values({
				programme: 'doctor',
				title_zh: 'x',
				title_en: 'x',
				starts_at: at('2026-12-03', '09:15'),
				ends_at: at('2026-12-03', '09:45'),
				capacity: 1,
				created_at: MONDAY
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const res = await t.db
			.insertInto('reservation')
			.values({
				occurrence_id: occ.id,
				person_id: b.personId,
				status: 'reserved',
				during: sql<string>`tstzrange(${at('2026-12-03', '09:15')}, ${at('2026-12-03', '09:45')}, '[)')`,
				created_at: MONDAY,
				updated_at: MONDAY
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await expect(
			sql`INSERT INTO appointment (reservation_id, doctor_id, service, during, active, created_at)
				VALUES (${res.id}, ${doctor.id}, 'consultation', tstzrange('2026-12-03 09:15+08', '2026-12-03 09:45+08', '[)'), true, now())`.execute(t.db)
		).rejects.toThrow(/appointment_doctor_no_overlap/);
		// An inactive (cancelled) one may overlap.
		await sql`INSERT INTO appointment (reservation_id, doctor_id, service, during, active, created_at)
			VALUES (${res.id}, ${doctor.id}, 'consultation', tstzrange('2026-12-03 09:15+08', '2026-12-03 09:45+08', '[)'), false, now())`.execute(
			t.db
		);
	});
});

describe('refusals, with the injected clock', () => {
	it('outside the horizon, inside the minimum notice, over the limit, on a leave day, after the cut-off', async () => {
		const clock = clockAt(MONDAY);
		const { doctor } = await studioWithDoctor(t.db);
		const r = await resident(t.db);
		const try_ = (start: Date) =>
			book(t.db, { doctorId: doctor.id, start, personId: r.personId, actor: r.actor, service: 'consultation', reason: null });
		expect(await try_(at('2026-12-18', '09:00'))).toEqual({ ok: false, reason: 'beyond-horizon' }); // 14 days ahead at most
		clock.set(at('2026-12-01', '08:30'));
		expect(await try_(at('2026-12-01', '09:00'))).toEqual({ ok: false, reason: 'too-short-notice' }); // 60 minutes' notice
		expect(await try_(at('2026-12-01', '09:17'))).toEqual({ ok: false, reason: 'no-slot' }); // not a slot's start
		await addException(t.db, doctor, { day: '2026-12-04', kind: 'leave', startTime: null, endTime: null, slotMinutes: null, note: '年假' });
		expect(await try_(at('2026-12-04', '09:00'))).toEqual({ ok: false, reason: 'no-slot' }); // on leave
		await addException(t.db, doctor, {
			day: '2026-12-03',
			kind: 'leave',
			startTime: '09:00',
			endTime: '10:00',
			slotMinutes: null,
			note: null
		});
		expect(await try_(at('2026-12-03', '09:30'))).toEqual({ ok: false, reason: 'no-slot' }); // leave for part of the day
		const first = await try_(at('2026-12-01', '11:00'));
		expect(first).toMatchObject({ ok: true });
		expect(await try_(at('2026-12-03', '10:00'))).toMatchObject({ ok: true });
		expect(await try_(at('2026-12-07', '10:00'))).toEqual({ ok: false, reason: 'limit' }); // two upcoming at most
		expect(
			await book(t.db, {
				doctorId: doctor.id,
				start: at('2026-12-07', '10:00'),
				personId: r.personId,
				actor: r.actor,
				service: 'health_check',
				reason: null
			})
		).toEqual({ ok: false, reason: 'service' });
		clock.set(at('2026-12-01', '09:30')); // 90 minutes before 11:00: past the 120-minute cut-off
		if (!first.ok) throw new Error('setup');
		expect(await cancelAppointment(t.db, { appointmentId: first.appointmentId, personId: r.personId, actor: r.actor })).toEqual({
			ok: false,
			reason: 'past-cutoff'
		});
		expect(
			await reschedule(t.db, { appointmentId: first.appointmentId, personId: r.personId, actor: r.actor, start: at('2026-12-02', '10:00') })
		).toEqual({ ok: false, reason: 'past-cutoff' });
	});
});

describe('rescheduling and cancelling', () => {
	it('moves the appointment in one step: the old slot is free again, the limit does not stand in the way', async () => {
		clockAt(MONDAY);
		const { doctor } = await studioWithDoctor(t.db);
		const r = await resident(t.db);
		const one = await book(t.db, {
			doctorId: doctor.id,
			start: at('2026-12-01', '09:00'),
			personId: r.personId,
			actor: r.actor,
			service: 'chronic_follow_up',
			reason: '糖尿病'
		});
		await book(t.db, {
			doctorId: doctor.id,
			start: at('2026-12-02', '09:00'),
			personId: r.personId,
			actor: r.actor,
			service: 'consultation',
			reason: null
		});
		if (!one.ok) throw new Error('setup');
		const moved = await reschedule(t.db, {
			appointmentId: one.appointmentId,
			personId: r.personId,
			actor: r.actor,
			start: at('2026-12-01', '11:30')
		});
		expect(moved).toMatchObject({ ok: true });
		if (!moved.ok) return;
		const statuses = await t.db
			.selectFrom('appointment')
			.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
			.select(['appointment.reservation_id', 'reservation.status', 'appointment.service', 'appointment.reason'])
			.where('reservation.person_id', '=', r.personId)
			.orderBy('appointment.reservation_id')
			.execute();
		expect(statuses).toEqual([
			{ reservation_id: one.appointmentId, status: 'cancelled', service: 'chronic_follow_up', reason: '糖尿病' },
			expect.objectContaining({ status: 'reserved' }),
			{ reservation_id: moved.appointmentId, status: 'reserved', service: 'chronic_follow_up', reason: '糖尿病' }
		]);
		const slots = await slotStates(t.db, doctor.id, '2026-12-01', '2026-12-01');
		expect(slots[0]!.state).toBe('free');
		expect(slots[5]!.state).toBe('taken');
	});

	it('a resident cannot cancel or move another person’s appointment by changing the id', async () => {
		clockAt(MONDAY);
		const { doctor } = await studioWithDoctor(t.db);
		const [a, b] = [await resident(t.db), await resident(t.db)];
		const booked = await book(t.db, {
			doctorId: doctor.id,
			start: at('2026-12-01', '09:00'),
			personId: a.personId,
			actor: a.actor,
			service: 'consultation',
			reason: null
		});
		if (!booked.ok) throw new Error('setup');
		expect(await cancelAppointment(t.db, { appointmentId: booked.appointmentId, personId: b.personId, actor: b.actor })).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(
			await reschedule(t.db, {
				appointmentId: booked.appointmentId,
				personId: b.personId,
				actor: b.actor,
				start: at('2026-12-01', '10:00')
			})
		).toEqual({ ok: false, reason: 'not-found' });
		const still = await t.db.selectFrom('reservation').select('status').where('id', '=', booked.appointmentId).executeTakeFirstOrThrow();
		expect(still.status).toBe('reserved');
	});
});
