import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
	acceptOffer,
	cancel,
	checkIn,
	expireOffers,
	reserve,
	undoLastChange,
	waitlistPosition
} from '../../src/lib/server/booking/reservations';
import { markNoShows, sendReminders } from '../../src/lib/server/booking/sweeps';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createOccurrence, createPerson } from '../helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const HOUR = 60 * 60_000;
const NOW = shanghaiInstant('2026-12-01', '09:00');
const at = (hoursFromNow: number) => new Date(NOW.getTime() + hoursFromNow * HOUR);
const self = (personId: number) => ({ accountId: null, personId });

async function people(n: number) {
	const out = [];
	for (let i = 0; i < n; i++) out.push(await createPerson(t.db));
	return out;
}

async function statusOf(id: number) {
	return (await t.db.selectFrom('reservation').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
}

async function book(occurrenceId: number, personId: number) {
	const r = await reserve(t.db, { occurrenceId, personId, actor: self(personId) });
	if (!r.ok) throw new Error(`refused: ${r.reason}`);
	return r;
}

describe('reserving', () => {
	it('fills the places, then puts people on the waitlist in the order they came', async () => {
		setClock(fixedClock(NOW));
		const occ = await createOccurrence(t.db, { startsAt: at(48), capacity: 2 });
		const [a, b, c, d] = await people(4);
		expect(await book(occ.id, a!.id)).toMatchObject({ status: 'reserved', position: null });
		expect(await book(occ.id, b!.id)).toMatchObject({ status: 'reserved' });
		const third = await book(occ.id, c!.id);
		const fourth = await book(occ.id, d!.id);
		expect(third).toMatchObject({ status: 'waitlisted', position: 1 });
		expect(fourth).toMatchObject({ status: 'waitlisted', position: 2 });
		const history = await t.db
			.selectFrom('reservation_event')
			.select(['from_status', 'to_status', 'reason'])
			.where('reservation_id', '=', third.reservationId)
			.execute();
		expect(history).toEqual([{ from_status: null, to_status: 'waitlisted', reason: 'booked' }]);
		const notices = await t.db.selectFrom('notification').select('kind').where('person_id', '=', c!.id).execute();
		expect(notices.map((n) => n.kind)).toEqual(['booking_waitlisted']);
	});

	it('refuses with a reason: twice the same, overlapping, past, too far ahead, too short notice, over the limit', async () => {
		setClock(fixedClock(NOW));
		const [p] = await people(1);
		const occ = await createOccurrence(t.db, { startsAt: at(30) });
		await book(occ.id, p!.id);
		const again = await reserve(t.db, { occurrenceId: occ.id, personId: p!.id, actor: self(p!.id) });
		expect(again).toEqual({ ok: false, reason: 'already' });
		// Another programme at an overlapping time: one person, one place at a time.
		const overlapping = await createOccurrence(t.db, { programme: 'training', startsAt: at(30.5), minutes: 120 });
		expect(await reserve(t.db, { occurrenceId: overlapping.id, personId: p!.id, actor: self(p!.id) })).toEqual({
			ok: false,
			reason: 'overlap'
		});

		const past = await createOccurrence(t.db, { startsAt: at(-1) });
		expect(await reserve(t.db, { occurrenceId: past.id, personId: p!.id, actor: self(p!.id) })).toEqual({ ok: false, reason: 'started' });
		const far = await createOccurrence(t.db, { startsAt: at(15 * 24) });
		expect(await reserve(t.db, { occurrenceId: far.id, personId: p!.id, actor: self(p!.id) })).toEqual({
			ok: false,
			reason: 'beyond-horizon'
		});
		const soonDoctor = await createOccurrence(t.db, { programme: 'doctor', startsAt: at(0.5), minutes: 15, capacity: 1 });
		expect(await reserve(t.db, { occurrenceId: soonDoctor.id, personId: p!.id, actor: self(p!.id) })).toEqual({
			ok: false,
			reason: 'too-short-notice'
		});

		// Doctor slots: at most 2 upcoming per person.
		for (let i = 0; i < 2; i++) {
			const slot = await createOccurrence(t.db, { programme: 'doctor', startsAt: at(50 + i), minutes: 15, capacity: 1 });
			await book(slot.id, p!.id);
		}
		const third = await createOccurrence(t.db, { programme: 'doctor', startsAt: at(60), minutes: 15, capacity: 1 });
		expect(await reserve(t.db, { occurrenceId: third.id, personId: p!.id, actor: self(p!.id) })).toEqual({ ok: false, reason: 'limit' });
	});

	it('has no waitlist for doctor slots: a taken slot is simply taken', async () => {
		setClock(fixedClock(NOW));
		const slot = await createOccurrence(t.db, { programme: 'doctor', startsAt: at(26), minutes: 15, capacity: 1 });
		const [a, b] = await people(2);
		await book(slot.id, a!.id);
		expect(await reserve(t.db, { occurrenceId: slot.id, personId: b!.id, actor: self(b!.id) })).toEqual({ ok: false, reason: 'full' });
	});
});

describe('the database itself', () => {
	it('refuses a raw insert beyond capacity', async () => {
		const occ = await createOccurrence(t.db, { capacity: 1 });
		const [a, b] = await people(2);
		const insert = (personId: number, status = 'reserved') =>
			sql`INSERT INTO reservation (occurrence_id, person_id, status, during, created_at, updated_at)
				VALUES (${occ.id}, ${personId}, ${status}, tstzrange(${occ.starts_at}, ${occ.ends_at}, '[)'), now(), now())`.execute(t.db);
		await insert(a!.id);
		await expect(insert(b!.id)).rejects.toThrow(/is full/);
		// Waiting does not take a place.
		await insert(b!.id, 'waitlisted');
		await expect(sql`UPDATE reservation SET status = 'reserved' WHERE person_id = ${b!.id}`.execute(t.db)).rejects.toThrow(/is full/);
	});

	it('refuses a raw duplicate live reservation of one occurrence, but not after a cancellation', async () => {
		const occ = await createOccurrence(t.db, { capacity: 5 });
		const [a] = await people(1);
		const insert = (status: string) =>
			sql`INSERT INTO reservation (occurrence_id, person_id, status, during, created_at, updated_at)
				VALUES (${occ.id}, ${a!.id}, ${status}, tstzrange(${occ.starts_at}, ${occ.ends_at}, '[)'), now(), now())`.execute(t.db);
		await insert('cancelled');
		await insert('reserved');
		await expect(insert('waitlisted')).rejects.toThrow(/reservation_once_per_person|duplicate/);
	});

	it('refuses a raw overlapping held place of one person, in any programme', async () => {
		const first = await createOccurrence(t.db, { programme: 'fitness', startsAt: new Date('2027-01-05T02:00:00Z'), minutes: 60 });
		const second = await createOccurrence(t.db, { programme: 'training', startsAt: new Date('2027-01-05T02:30:00Z'), minutes: 60 });
		const [a] = await people(1);
		const insert = (occ: typeof first) =>
			sql`INSERT INTO reservation (occurrence_id, person_id, status, during, created_at, updated_at)
				VALUES (${occ.id}, ${a!.id}, 'reserved', tstzrange(${occ.starts_at}, ${occ.ends_at}, '[)'), now(), now())`.execute(t.db);
		await insert(first);
		await expect(insert(second)).rejects.toThrow(/reservation_no_overlap|conflicting key/);
	});
});

describe('cancelling and the waitlist', () => {
	it('after the cut-off a cancellation counts as late', async () => {
		setClock(fixedClock(NOW));
		const occ = await createOccurrence(t.db, { startsAt: at(3) }); // fitness cut-off: 2 hours
		const [a] = await people(1);
		const r = await book(occ.id, a!.id);
		const clock = fixedClock(at(1.5));
		setClock(clock);
		expect(await cancel(t.db, { reservationId: r.reservationId, actor: self(a!.id) })).toEqual({ ok: true, status: 'late_cancelled' });
	});

	it('offers a freed place to the first in line, with 12 hours to accept, never past the start', async () => {
		setClock(fixedClock(NOW));
		const occ = await createOccurrence(t.db, { startsAt: at(48), capacity: 1 });
		const [a, b, c] = await people(3);
		const first = await book(occ.id, a!.id);
		const second = await book(occ.id, b!.id);
		const third = await book(occ.id, c!.id);
		expect(await cancel(t.db, { reservationId: first.reservationId, actor: self(a!.id) })).toEqual({ ok: true, status: 'cancelled' });
		const offered = await t.db
			.selectFrom('reservation')
			.select(['status', 'offer_expires_at'])
			.where('id', '=', second.reservationId)
			.executeTakeFirstOrThrow();
		expect(offered).toEqual({ status: 'offered', offer_expires_at: at(12) });
		expect(await statusOf(third.reservationId)).toBe('waitlisted');
		expect(await waitlistPosition(t.db, third.reservationId)).toBe(1);

		// Close to the start, the offer ends at the start.
		const soon = await createOccurrence(t.db, { startsAt: at(5), capacity: 1 });
		const [d, e] = await people(2);
		const held = await book(soon.id, d!.id);
		const waiting = await book(soon.id, e!.id);
		await cancel(t.db, { reservationId: held.reservationId, actor: self(d!.id) });
		const short = await t.db
			.selectFrom('reservation')
			.select('offer_expires_at')
			.where('id', '=', waiting.reservationId)
			.executeTakeFirstOrThrow();
		expect(short.offer_expires_at).toEqual(at(5));
	});

	it('lets only the person accept the offer, and an expired offer passes to the next in line', async () => {
		const clock = fixedClock(NOW);
		setClock(clock);
		const occ = await createOccurrence(t.db, { startsAt: at(48), capacity: 1 });
		const [a, b, c] = await people(3);
		const first = await book(occ.id, a!.id);
		const second = await book(occ.id, b!.id);
		const third = await book(occ.id, c!.id);
		await cancel(t.db, { reservationId: first.reservationId, actor: self(a!.id) });
		expect(await acceptOffer(t.db, { reservationId: second.reservationId, actor: self(c!.id) })).toEqual({
			ok: false,
			reason: 'not-yours'
		});
		clock.advance(12 * HOUR);
		expect(await acceptOffer(t.db, { reservationId: second.reservationId, actor: self(b!.id) })).toEqual({
			ok: false,
			reason: 'offer-expired'
		});
		// Other tests' offers in this database may expire in the same sweep; a second sweep finds none.
		expect(await expireOffers(t.db)).toBeGreaterThanOrEqual(1);
		expect(await expireOffers(t.db)).toBe(0);
		expect(await statusOf(second.reservationId)).toBe('cancelled');
		expect(await statusOf(third.reservationId)).toBe('offered');
		expect(await acceptOffer(t.db, { reservationId: third.reservationId, actor: self(c!.id) })).toEqual({ ok: true, status: 'reserved' });
		const kinds = await t.db.selectFrom('notification').select('kind').where('person_id', '=', b!.id).orderBy('id').execute();
		expect(kinds.map((k) => k.kind)).toEqual(['booking_waitlisted', 'booking_offered', 'booking_offer_expired']);
	});

	it('declines only a place on offer: the decline of a confirmed place or a waiting one changes nothing', async () => {
		setClock(fixedClock(NOW));
		const occ = await createOccurrence(t.db, { startsAt: at(48), capacity: 1 });
		const [a, b, c] = await people(3);
		const held = await book(occ.id, a!.id);
		const waiting = await book(occ.id, b!.id);
		const later = await book(occ.id, c!.id);
		const decline = (reservationId: number, personId: number) =>
			cancel(t.db, { reservationId, actor: self(personId), reason: 'offer_declined', onlyOffered: true });
		expect(await decline(held.reservationId, a!.id)).toEqual({ ok: false, reason: 'not-offered' });
		expect(await decline(waiting.reservationId, b!.id)).toEqual({ ok: false, reason: 'not-offered' });
		expect(await statusOf(held.reservationId)).toBe('reserved');
		expect(await statusOf(waiting.reservationId)).toBe('waitlisted');
		await cancel(t.db, { reservationId: held.reservationId, actor: self(a!.id) });
		expect(await statusOf(waiting.reservationId)).toBe('offered');
		expect(await decline(waiting.reservationId, b!.id)).toMatchObject({ ok: true });
		expect(await statusOf(later.reservationId)).toBe('offered');
	});

	it('lets nobody cancel or check in someone else’s reservation by its id', async () => {
		setClock(fixedClock(NOW));
		const occ = await createOccurrence(t.db, { startsAt: at(0.5) });
		const [owner, other] = await people(2);
		const r = await book(occ.id, owner!.id);
		expect(await cancel(t.db, { reservationId: r.reservationId, actor: self(other!.id) })).toEqual({ ok: false, reason: 'not-yours' });
		expect(await checkIn(t.db, { reservationId: r.reservationId, actor: self(other!.id) })).toEqual({ ok: false, reason: 'not-yours' });
		expect(await statusOf(r.reservationId)).toBe('reserved');
	});
});

describe('around the reservation', () => {
	it('checks in from an hour before the start, marks no-shows after the end, and staff can undo', async () => {
		const clock = fixedClock(NOW);
		setClock(clock);
		const occ = await createOccurrence(t.db, { startsAt: at(3), minutes: 60 });
		const [a, b] = await people(2);
		const ra = await book(occ.id, a!.id);
		const rb = await book(occ.id, b!.id);
		expect(await checkIn(t.db, { reservationId: ra.reservationId, actor: self(a!.id) })).toEqual({ ok: false, reason: 'check-in-closed' });
		clock.set(at(2.5));
		expect(await checkIn(t.db, { reservationId: ra.reservationId, actor: self(a!.id) })).toEqual({ ok: true, status: 'attended' });
		expect(await checkIn(t.db, { reservationId: ra.reservationId, actor: self(a!.id) })).toEqual({ ok: true, status: 'attended' });
		clock.set(at(4));
		expect(await markNoShows(t.db)).toBeGreaterThanOrEqual(1);
		expect(await statusOf(rb.reservationId)).toBe('no_show');
		expect(await statusOf(ra.reservationId)).toBe('attended');
	});

	it('admits a walk-in and checks them in only within the check-in window, never days before the session', async () => {
		const clock = fixedClock(NOW);
		setClock(clock);
		const staff = await createAccount(t.db, { roles: ['staff'] });
		const occ = await createOccurrence(t.db, { startsAt: at(72), minutes: 60 });
		const [early, onTime, late] = await people(3);
		const admit = (personId: number) =>
			reserve(t.db, { occurrenceId: occ.id, personId, actor: { accountId: staff.accountId, personId: null }, walkIn: true });
		const heldBy = (personId: number) =>
			t.db.selectFrom('reservation').select(['status', 'checked_in_at']).where('person_id', '=', personId).execute();

		// Three days ahead, and a minute before the window opens: refused like the person's own check-in.
		expect(await admit(early!.id)).toEqual({ ok: false, reason: 'check-in-closed' });
		clock.set(at(71 - 1 / 60));
		expect(await admit(early!.id)).toEqual({ ok: false, reason: 'check-in-closed' });
		expect(await heldBy(early!.id)).toEqual([]);

		// From an hour before the start: admitted and checked in at once.
		clock.set(at(71));
		expect(await admit(onTime!.id)).toMatchObject({ ok: true, status: 'attended' });
		expect(await heldBy(onTime!.id)).toEqual([{ status: 'attended', checked_in_at: at(71) }]);

		// At the end the window closes again.
		clock.set(at(73));
		expect(await admit(late!.id)).toEqual({ ok: false, reason: 'check-in-closed' });
		expect(await heldBy(late!.id)).toEqual([]);
	});

	it('lets staff undo a cancellation made by mistake, unless the place was given away meanwhile', async () => {
		setClock(fixedClock(NOW));
		const staff = await createAccount(t.db, { roles: ['staff'] });
		const occ = await createOccurrence(t.db, { startsAt: at(30), capacity: 1 });
		const [a, b] = await people(2);
		const ra = await book(occ.id, a!.id);
		await cancel(t.db, { reservationId: ra.reservationId, actor: self(a!.id) });
		expect(await undoLastChange(t.db, { reservationId: ra.reservationId, actorAccountId: staff.accountId })).toEqual({
			ok: true,
			status: 'reserved'
		});
		const last = await t.db
			.selectFrom('reservation_event')
			.select(['to_status', 'reason', 'actor_account_id'])
			.where('reservation_id', '=', ra.reservationId)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(last).toEqual({ to_status: 'reserved', reason: 'staff_undo', actor_account_id: staff.accountId });

		await cancel(t.db, { reservationId: ra.reservationId, actor: self(a!.id) });
		await book(occ.id, b!.id);
		expect(await undoLastChange(t.db, { reservationId: ra.reservationId, actorAccountId: staff.accountId })).toEqual({
			ok: false,
			reason: 'full'
		});
		expect(await statusOf(ra.reservationId)).toBe('cancelled');
	});

	it('sends each reminder once, from 10:00 the day before', async () => {
		const clock = fixedClock(shanghaiInstant('2026-12-09', '08:00'));
		setClock(clock);
		const occ = await createOccurrence(t.db, { startsAt: shanghaiInstant('2026-12-10', '15:00') });
		const [a] = await people(1);
		await book(occ.id, a!.id);
		const reminders = () =>
			t.db.selectFrom('notification').select('id').where('person_id', '=', a!.id).where('kind', '=', 'booking_reminder').execute();
		await sendReminders(t.db);
		expect(await reminders()).toHaveLength(0);
		clock.set(shanghaiInstant('2026-12-09', '10:00'));
		await sendReminders(t.db);
		await sendReminders(t.db);
		expect(await reminders()).toHaveLength(1);
	});
});
