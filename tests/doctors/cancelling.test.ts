/**
 * One rule for cancelling a doctor's appointment, whichever page the person uses: online changes
 * end two hours before the visit (then they phone the studio); staff acting for them still can.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/lib/i18n';
import { cancel, reserve } from '../../src/lib/server/booking/reservations';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { book, cancelAppointment } from '../../src/lib/server/doctors/appointments';
import { refusalKey } from '../../src/lib/server/doctors/model';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createOccurrence } from '../helpers/factories';
import { resident, studioWithDoctor } from './setup';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const at = (day: string, time: string) => shanghaiInstant(day, time);

async function bookedAt11() {
	const { doctor } = await studioWithDoctor(t.db);
	const r = await resident(t.db);
	const result = await book(t.db, {
		doctorId: doctor.id,
		start: at('2026-12-01', '11:00'),
		personId: r.personId,
		actor: r.actor,
		service: 'consultation',
		reason: null
	});
	if (!result.ok) throw new Error(result.reason);
	return { ...r, appointmentId: result.appointmentId };
}

const statusOf = async (id: number) =>
	(await t.db.selectFrom('reservation').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe('cancelling a doctor’s appointment after the two-hour cut-off', () => {
	it('is refused the same way from my reservations (the core) as from my appointments, and the booking stays', async () => {
		const clock = fixedClock(at('2026-11-30', '08:00'));
		setClock(clock);
		const r = await bookedAt11();
		clock.set(at('2026-12-01', '09:30')); // 90 minutes before
		// What /me/reservations (and /me/training, /me/offers) call:
		expect(await cancel(t.db, { reservationId: r.appointmentId, actor: r.actor })).toEqual({ ok: false, reason: 'past-cutoff' });
		// What /me/appointments calls:
		expect(await cancelAppointment(t.db, { appointmentId: r.appointmentId, personId: r.personId, actor: r.actor })).toEqual({
			ok: false,
			reason: 'past-cutoff'
		});
		expect(await statusOf(r.appointmentId)).toBe('reserved');
		// Both pages show the same words: "phone the studio".
		expect(refusalKey('past-cutoff')).toBe('booking.refused.past-cutoff');
		expect(translate('zh-CN', 'booking.refused.past-cutoff')).toContain('请打电话给工作室');
		expect(translate('en', 'booking.refused.past-cutoff')).toContain('Please phone the studio');
	});

	it('staff acting for the person (who phoned) can still cancel: a late cancellation', async () => {
		const clock = fixedClock(at('2026-11-30', '08:00'));
		setClock(clock);
		const r = await bookedAt11();
		clock.set(at('2026-12-01', '09:30'));
		const staff = { accountId: null, personId: null };
		expect(await cancel(t.db, { reservationId: r.appointmentId, actor: staff, onBehalf: true })).toEqual({
			ok: true,
			status: 'late_cancelled'
		});
	});

	it('before the cut-off it is an ordinary cancellation from my reservations too', async () => {
		const clock = fixedClock(at('2026-11-30', '08:00'));
		setClock(clock);
		const r = await bookedAt11();
		clock.set(at('2026-12-01', '08:59')); // 121 minutes before
		expect(await cancel(t.db, { reservationId: r.appointmentId, actor: r.actor })).toEqual({ ok: true, status: 'cancelled' });
	});

	it('other programmes keep their late cancellation after the cut-off', async () => {
		setClock(fixedClock(at('2026-12-01', '09:30')));
		const r = await resident(t.db);
		const session = await createOccurrence(t.db, { programme: 'fitness', startsAt: at('2026-12-01', '11:00') });
		const held = await reserve(t.db, { occurrenceId: session.id, personId: r.personId, actor: r.actor });
		if (!held.ok) throw new Error(held.reason);
		expect(await cancel(t.db, { reservationId: held.reservationId, actor: r.actor })).toEqual({ ok: true, status: 'late_cancelled' });
	});
});
