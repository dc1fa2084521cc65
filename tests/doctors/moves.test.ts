import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { book } from '../../src/lib/server/doctors/appointments';
import { moveByDoctor } from '../../src/lib/server/doctors/moves';
import { addException, appointmentsOutsideHours } from '../../src/lib/server/doctors/practice';
import { slotStates } from '../../src/lib/server/doctors/slots';
import { agenda } from '../../src/lib/server/doctors/views';
import { describeConcurrent } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { resident, studioWithDoctor } from './setup';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase({ poolSize: 12 });
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const at = (day: string, time: string) => shanghaiInstant(day, time);
const MONDAY = at('2026-11-30', '08:00');

async function booked(doctorId: number, start: Date, who?: Awaited<ReturnType<typeof resident>>) {
	const r = who ?? (await resident(t.db));
	const result = await book(t.db, { doctorId, start, personId: r.personId, actor: r.actor, service: 'chronic_follow_up', reason: '血压' });
	if (!result.ok) throw new Error(result.reason);
	return { ...r, appointmentId: result.appointmentId };
}

/** A booking on Wednesday 09:30 that the doctor's new leave (09:00–10:00) no longer covers. */
async function outsideHours() {
	const setup = await studioWithDoctor(t.db);
	const patient = await booked(setup.doctor.id, at('2026-12-02', '09:30'));
	await addException(t.db, setup.doctor, {
		day: '2026-12-02',
		kind: 'leave',
		startTime: '09:00',
		endTime: '10:00',
		slotMinutes: null,
		note: '开会'
	});
	return { ...setup, patient };
}

async function noticesOf(personId: number) {
	return t.db.selectFrom('notification').select(['kind', 'params', 'link']).where('person_id', '=', personId).orderBy('id').execute();
}

describe('a doctor moves a booking their new hours no longer cover', () => {
	it('to another free slot: same appointment at the new time, the person told once with the new time, the move audited', async () => {
		setClock(fixedClock(MONDAY));
		const { doctor, patient } = await outsideHours();
		expect((await appointmentsOutsideHours(t.db, doctor)).map((o) => o.id)).toEqual([patient.appointmentId]);
		const before = (await noticesOf(patient.personId)).length;

		const result = await moveByDoctor(t.db, doctor, {
			appointmentId: patient.appointmentId,
			start: at('2026-12-02', '11:00'),
			message: '上午开会，改到十一点'
		});
		expect(result).toEqual({ ok: true, appointmentId: patient.appointmentId });

		expect(await appointmentsOutsideHours(t.db, doctor)).toEqual([]);
		const day = await agenda(t.db, doctor.id, '2026-12-02', '2026-12-02', 'zh-CN');
		expect(day.map((a) => [a.id, a.startsAt, a.status, a.reason])).toEqual([
			[patient.appointmentId, at('2026-12-02', '11:00').toISOString(), 'reserved', '血压']
		]);
		const states = await slotStates(t.db, doctor.id, '2026-12-02', '2026-12-02');
		expect(states.find((s) => s.start.getTime() === at('2026-12-02', '11:00').getTime())?.state).toBe('taken');

		const notices = (await noticesOf(patient.personId)).slice(before);
		expect(notices).toEqual([
			{
				kind: 'doctor_moved',
				link: `/me/appointments/${patient.appointmentId}`,
				params: expect.objectContaining({
					when: at('2026-12-02', '09:30').toISOString(),
					to: at('2026-12-02', '11:00').toISOString(),
					message: '上午开会，改到十一点',
					doctor: doctor.name
				})
			}
		]);
		const outbox = await t.db
			.selectFrom('outbox')
			.select('kind')
			.where('person_id', '=', patient.personId)
			.where('kind', '=', 'doctor_moved')
			.execute();
		expect(outbox).toHaveLength(1);

		const audited = await t.db
			.selectFrom('audit_log')
			.select(['actor_account_id', 'action', 'subject_id'])
			.where('action', '=', 'appointment.move')
			.where('subject_id', '=', String(patient.appointmentId))
			.execute();
		expect(audited).toEqual([
			{ actor_account_id: doctor.accountId, action: 'appointment.move', subject_id: String(patient.appointmentId) }
		]);
		const history = await t.db
			.selectFrom('reservation_event')
			.select(['reason', 'actor_account_id'])
			.where('reservation_id', '=', patient.appointmentId)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(history).toEqual({ reason: 'occurrence_moved', actor_account_id: doctor.accountId });
	});

	it('never another doctor’s patient: their id is not found and nothing changes', async () => {
		setClock(fixedClock(MONDAY));
		const { patient } = await outsideHours();
		const other = await studioWithDoctor(t.db);
		const before = await noticesOf(patient.personId);
		expect(
			await moveByDoctor(t.db, other.doctor, {
				appointmentId: patient.appointmentId,
				start: at('2026-12-02', '11:00'),
				message: '不是我的'
			})
		).toEqual({ ok: false, reason: 'not-found' });
		const still = await t.db
			.selectFrom('occurrence')
			.innerJoin('reservation', 'reservation.occurrence_id', 'occurrence.id')
			.select(['occurrence.starts_at', 'reservation.status'])
			.where('reservation.id', '=', patient.appointmentId)
			.executeTakeFirstOrThrow();
		expect(still).toEqual({ starts_at: at('2026-12-02', '09:30'), status: 'reserved' });
		expect(await noticesOf(patient.personId)).toEqual(before);
	});

	it('a slot someone holds is taken, with the nearest free ones; the person’s own other booking then is refused', async () => {
		setClock(fixedClock(MONDAY));
		const { doctor, patient } = await outsideHours();
		await booked(doctor.id, at('2026-12-02', '11:00'));
		const taken = await moveByDoctor(t.db, doctor, {
			appointmentId: patient.appointmentId,
			start: at('2026-12-02', '11:00'),
			message: '改时间'
		});
		expect(taken).toMatchObject({ ok: false, reason: 'taken' });
		expect(taken.ok ? [] : taken.nearest!.map((s) => s.start.toISOString())).toContain(at('2026-12-02', '10:30').toISOString());

		// The person holds an appointment with another doctor at 10:30: a move there would double-book them.
		const elsewhere = await studioWithDoctor(t.db);
		await booked(elsewhere.doctor.id, at('2026-12-02', '10:30'), patient);
		expect(
			await moveByDoctor(t.db, doctor, { appointmentId: patient.appointmentId, start: at('2026-12-02', '10:30'), message: '改时间' })
		).toEqual({ ok: false, reason: 'patient-busy' });
	});

	it('only to a time the doctor works and the person could book: not on leave, not too soon, not past the horizon', async () => {
		const clock = fixedClock(MONDAY);
		setClock(clock);
		const { doctor, patient } = await outsideHours();
		const move = (start: Date) => moveByDoctor(t.db, doctor, { appointmentId: patient.appointmentId, start, message: '改时间' });
		expect(await move(at('2026-12-02', '09:00'))).toEqual({ ok: false, reason: 'no-slot' }); // the new leave
		expect(await move(at('2026-12-05', '09:00'))).toEqual({ ok: false, reason: 'no-slot' }); // Saturday
		expect(await move(at('2026-12-30', '09:00'))).toEqual({ ok: false, reason: 'not-bookable' }); // beyond the 14 days
		clock.set(at('2026-12-01', '08:30'));
		expect(await move(at('2026-12-01', '09:00'))).toEqual({ ok: false, reason: 'not-bookable' }); // 30 minutes' notice
		clock.set(at('2026-12-02', '09:45'));
		// Once it has started it is not the doctor's to move any more.
		expect(await move(at('2026-12-02', '11:00'))).toEqual({ ok: false, reason: 'not-found' });
	});

	it('a cancelled appointment cannot be moved', async () => {
		setClock(fixedClock(MONDAY));
		const { doctor, patient } = await outsideHours();
		await t.db.updateTable('reservation').set({ status: 'cancelled' }).where('id', '=', patient.appointmentId).execute();
		expect(
			await moveByDoctor(t.db, doctor, { appointmentId: patient.appointmentId, start: at('2026-12-02', '11:00'), message: '改时间' })
		).toEqual({ ok: false, reason: 'not-found' });
	});
});

describeConcurrent('a move racing a booking for the same slot', () => {
	it('the database lets exactly one through; the other is told the slot was just taken', async () => {
		setClock(fixedClock(MONDAY));
		const { doctor, patient } = await outsideHours();
		for (const time of ['10:00', '10:30', '11:00', '11:30']) {
			const start = at('2026-12-03', time);
			const rival = await resident(t.db);
			const [moved, took] = await Promise.all([
				moveByDoctor(t.db, doctor, { appointmentId: patient.appointmentId, start, message: '改时间' }),
				book(t.db, { doctorId: doctor.id, start, personId: rival.personId, actor: rival.actor, service: 'consultation', reason: null })
			]);
			expect([moved.ok, took.ok].filter(Boolean)).toHaveLength(1);
			expect(moved.ok ? took : moved).toMatchObject({ ok: false, reason: 'taken' });
			const holders = await t.db
				.selectFrom('appointment')
				.select('reservation_id')
				.where('doctor_id', '=', doctor.id)
				.where('active', '=', true)
				.where(sql<boolean>`during @> ${start}::timestamptz`)
				.execute();
			expect(holders).toHaveLength(1);
		}
	});
});
