/**
 * The booking core: one mechanism for doctor slots, fitness sessions and trainings.
 *
 * Every step locks the occurrence row first (then the reservation), so steps on one occurrence run
 * one after another and waitlist order is commit order. Rules give reasons the pages can show; the
 * database has the last word (capacity trigger, one live reservation per person and occurrence,
 * no two held places whose times overlap), and its refusals are mapped to the same reasons.
 */
import { sql, type Kysely } from 'kysely';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { isExclusionViolation, isUniqueViolation } from '../db/errors';
import { mayActFor } from '../households/care';
import { notify } from '../notifications/notify';
import { transition } from './history';
import { HOLDING, LIVE, type Actor, type Programme, type Refusal, type ReservationStatus, type Rules } from './model';

const MINUTE = 60_000;

type Occurrence = {
	id: number;
	programme: Programme;
	community_id: number | null;
	title_zh: string;
	title_en: string;
	starts_at: Date;
	ends_at: Date;
	capacity: number;
	cancelled_at: Date | null;
};

export async function programmeRules(db: Kysely<Database>, programme: Programme): Promise<Rules> {
	const r = await db.selectFrom('programme').selectAll().where('code', '=', programme).executeTakeFirstOrThrow();
	return {
		horizonDays: r.horizon_days,
		minNoticeMinutes: r.min_notice_minutes,
		cancelCutoffMinutes: r.cancel_cutoff_minutes,
		maxUpcoming: r.max_upcoming,
		waitlist: r.waitlist,
		offerHours: r.offer_hours,
		lateCancelOnline: r.late_cancel_online
	};
}

export type CancelTiming = 'in-time' | 'late' | 'refused';

/**
 * The one place that decides what cancelling a place that starts at `startsAt` means now: in time,
 * a late cancellation (after the programme's cut-off), or refused (after the cut-off where the
 * programme allows no late cancellation online: doctor slots — the person phones instead). Only a
 * held place has a cut-off; leaving a waiting list is always in time.
 */
export function cancelTiming(rules: Rules, startsAt: Date, status: ReservationStatus): CancelTiming {
	if (status !== 'reserved' || startsAt.getTime() - now().getTime() >= rules.cancelCutoffMinutes * MINUTE) return 'in-time';
	return rules.lateCancelOnline ? 'late' : 'refused';
}

async function readOccurrence(trx: Kysely<Database>, id: number, lock: boolean): Promise<Occurrence | null> {
	let query = trx
		.selectFrom('occurrence')
		.select(['id', 'programme', 'community_id', 'title_zh', 'title_en', 'starts_at', 'ends_at', 'capacity', 'cancelled_at'])
		.where('id', '=', id);
	if (lock) query = query.forUpdate();
	const row = await query.executeTakeFirst();
	return row ? { ...row, programme: row.programme as Programme } : null;
}

const lockOccurrence = (trx: Kysely<Database>, id: number) => readOccurrence(trx, id, true);

/**
 * Why an occurrence cannot be booked now, whoever asks: called off, or started. A walk-in is checked
 * in at once, so it is refused outside the check-in window like any other check-in.
 */
function timeRefusal(occ: Occurrence, walkIn: boolean): 'cancelled' | 'started' | 'check-in-closed' | null {
	if (occ.cancelled_at) return 'cancelled';
	if (walkIn) return checkInOpen(occ.starts_at, occ.ends_at) ? null : 'check-in-closed';
	return occ.starts_at.getTime() <= now().getTime() ? 'started' : null;
}

async function heldPlaces(trx: Kysely<Database>, occurrenceId: number): Promise<number> {
	const row = await trx
		.selectFrom('reservation')
		.select(({ fn }) => fn.countAll<number>().as('n'))
		.where('occurrence_id', '=', occurrenceId)
		.where('status', 'in', HOLDING)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** Whether the person holds a place elsewhere whose time overlaps this occurrence. */
async function overlapsHeldPlace(trx: Kysely<Database>, personId: number, occ: Occurrence, exceptReservation?: number): Promise<boolean> {
	let query = trx
		.selectFrom('reservation')
		.select('id')
		.where('person_id', '=', personId)
		.where('status', 'in', HOLDING)
		.where(sql<boolean>`during && tstzrange(${occ.starts_at}, ${occ.ends_at}, '[)')`);
	if (exceptReservation) query = query.where('id', '!=', exceptReservation);
	return !!(await query.executeTakeFirst());
}

function noticeParams(occ: Occurrence): Record<string, string> {
	return { title_zh: occ.title_zh, title_en: occ.title_en, when: occ.starts_at.toISOString() };
}

export type Booked =
	| { ok: true; reservationId: number; status: 'reserved' | 'waitlisted' | 'attended'; position: number | null }
	| { ok: false; reason: Refusal };

export type ReserveInput = {
	occurrenceId: number;
	personId: number;
	actor: Actor;
	walkIn?: boolean;
	/** Where the "booked" notice points (a module's own page); default: my reservations. */
	link?: string;
	/** Staff enrolling a group (a school class): no booking-ahead rules, no waitlist. */
	group?: boolean;
};

/**
 * Books a place for `personId`, or a place on the waitlist when the occurrence is full. `walkIn` is
 * staff admitting someone who is there: checked in at once, so only within the check-in window
 * (`checkInOpen`), without the booking-ahead rules, and only while a place is free (no waitlist) —
 * the capacity and overlap rules still hold. Booking someone ahead of the window is the counter's
 * ordinary booking, with its rules, not a walk-in.
 */
export async function reserve(db: Kysely<Database>, input: ReserveInput): Promise<Booked> {
	try {
		return await db.transaction().execute((trx) => reserveIn(trx, input));
	} catch (error) {
		const reason = refusalFromError(error);
		if (reason) return { ok: false, reason };
		throw error;
	}
}

/**
 * `reserve` inside the caller's transaction: a module that creates the occurrence in the same
 * transaction, or books several people at once (a group roster: all or nothing). A constraint error
 * aborts that transaction: the caller catches it and may map it with `refusalFromError`.
 */
export async function reserveIn(trx: Kysely<Database>, input: ReserveInput): Promise<Booked> {
	// The person's own rules first, without the lock: under a rush for one session, the time it is
	// held (every booking of that session waits for it) is kept to the capacity step. The unique
	// index and the exclusion constraint still catch a race on these.
	const seen = await readOccurrence(trx, input.occurrenceId, false);
	const refusal = seen ? timeRefusal(seen, input.walkIn === true) : 'not-found';
	if (refusal) return { ok: false, reason: refusal };
	let occ = seen!;
	const at = now().getTime();
	const start = occ.starts_at.getTime();
	const walkIn = input.walkIn === true;
	const staffBooks = walkIn || input.group === true;
	const rules = await programmeRules(trx, occ.programme);
	if (!staffBooks && start > at + rules.horizonDays * 24 * 60 * MINUTE) return { ok: false, reason: 'beyond-horizon' };
	if (!staffBooks && start - at < rules.minNoticeMinutes * MINUTE) return { ok: false, reason: 'too-short-notice' };

	const mine = await trx
		.selectFrom('reservation')
		.select('id')
		.where('occurrence_id', '=', occ.id)
		.where('person_id', '=', input.personId)
		.where('status', 'in', LIVE)
		.executeTakeFirst();
	if (mine) return { ok: false, reason: 'already' };

	const upcoming = await trx
		.selectFrom('reservation')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.select(({ fn }) => fn.countAll<number>().as('n'))
		.where('reservation.person_id', '=', input.personId)
		.where('occurrence.programme', '=', occ.programme)
		.where('reservation.status', 'in', ['reserved', 'offered', 'waitlisted'])
		.where('occurrence.starts_at', '>', now())
		.executeTakeFirstOrThrow();
	if (!staffBooks && Number(upcoming.n) >= rules.maxUpcoming) return { ok: false, reason: 'limit' };
	if (await overlapsHeldPlace(trx, input.personId, occ)) return { ok: false, reason: 'overlap' };

	// Now the lock, and the occurrence as it is now (staff may have moved it meanwhile).
	const locked = await lockOccurrence(trx, occ.id);
	const changed = locked ? timeRefusal(locked, walkIn) : 'not-found';
	if (changed) return { ok: false, reason: changed };
	const moved = locked!.starts_at.getTime() !== start || locked!.ends_at.getTime() !== occ.ends_at.getTime();
	occ = locked!;
	if (moved && (await overlapsHeldPlace(trx, input.personId, occ))) return { ok: false, reason: 'overlap' };
	const free = (await heldPlaces(trx, occ.id)) < occ.capacity;
	if (!free && (staffBooks || !rules.waitlist)) return { ok: false, reason: 'full' };
	const status = walkIn ? 'attended' : free ? 'reserved' : 'waitlisted';
	const created = now();
	const row = await trx
		.insertInto('reservation')
		.values({
			occurrence_id: occ.id,
			person_id: input.personId,
			status,
			during: sql<string>`tstzrange(${occ.starts_at}, ${occ.ends_at}, '[)')`,
			waitlisted_at: status === 'waitlisted' ? created : null,
			checked_in_at: walkIn ? created : null,
			booked_by: input.actor.accountId,
			created_at: created,
			updated_at: created
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const reason = walkIn ? 'walk_in' : input.group ? 'group_roster' : input.actor.personId === input.personId ? 'booked' : 'booked_for';
	await transition(trx, row.id, null, status, input.actor.accountId, reason);
	if (walkIn) return { ok: true, reservationId: row.id, status, position: null };
	const position = free ? null : await waitlistPosition(trx, row.id);
	await notify(trx, {
		personId: input.personId,
		kind: free ? 'booking_reserved' : 'booking_waitlisted',
		params: { ...noticeParams(occ), ...(position ? { position } : {}) },
		link: input.link ?? '/me/reservations'
	});
	return { ok: true, reservationId: row.id, status: free ? 'reserved' : 'waitlisted', position };
}

/** Another request got there first: the database's constraints say which rule it broke (null: not ours). */
export function refusalFromError(error: unknown): Refusal | null {
	if (isExclusionViolation(error, 'reservation_no_overlap')) return 'overlap';
	if (isUniqueViolation(error, 'reservation_once_per_person')) return 'already';
	if (isCapacityViolation(error)) return 'full';
	return null;
}

export function isCapacityViolation(error: unknown): boolean {
	const e = error as { code?: string; constraint?: string; message?: string };
	return e?.code === '23514' && (e.constraint === 'reservation_capacity' || (e.message ?? '').includes('is full'));
}

/** 1 for the first in line; null when the reservation is not waiting. */
export async function waitlistPosition(db: Kysely<Database>, reservationId: number): Promise<number | null> {
	const me = await db
		.selectFrom('reservation')
		.select(['occurrence_id', 'status', 'waitlisted_at'])
		.where('id', '=', reservationId)
		.executeTakeFirst();
	if (!me || me.status !== 'waitlisted' || !me.waitlisted_at) return null;
	const ahead = await db
		.selectFrom('reservation')
		.select(({ fn }) => fn.countAll<number>().as('n'))
		.where('occurrence_id', '=', me.occurrence_id)
		.where('status', '=', 'waitlisted')
		.where((eb) =>
			eb.or([
				eb('waitlisted_at', '<', me.waitlisted_at!),
				eb.and([eb('waitlisted_at', '=', me.waitlisted_at!), eb('id', '<', reservationId)])
			])
		)
		.executeTakeFirstOrThrow();
	return Number(ahead.n) + 1;
}

/**
 * Offers freed places to the first people in line, each with a deadline (the programme's offer
 * time, never past the start). Someone who meanwhile holds an overlapping place is passed over
 * and keeps their place in line. Runs inside the caller's transaction, with the occurrence locked.
 */
export async function offerFreedPlaces(trx: Kysely<Database>, occurrenceId: number): Promise<number[]> {
	const occ = await lockOccurrence(trx, occurrenceId);
	if (!occ || occ.cancelled_at) return [];
	const at = now();
	if (occ.starts_at.getTime() <= at.getTime()) return [];
	const rules = await programmeRules(trx, occ.programme);
	if (!rules.waitlist) return [];
	let free = occ.capacity - (await heldPlaces(trx, occ.id));
	if (free <= 0) return [];
	const line = await trx
		.selectFrom('reservation')
		.select(['id', 'person_id'])
		.where('occurrence_id', '=', occ.id)
		.where('status', '=', 'waitlisted')
		.orderBy('waitlisted_at')
		.orderBy('id')
		.forUpdate()
		.execute();
	const offered: number[] = [];
	const deadline = new Date(Math.min(at.getTime() + rules.offerHours * 60 * MINUTE, occ.starts_at.getTime()));
	for (const candidate of line) {
		if (free <= 0) break;
		if (await overlapsHeldPlace(trx, candidate.person_id, occ)) continue;
		await transition(trx, candidate.id, 'waitlisted', 'offered', null, 'place_freed', { offer_expires_at: deadline });
		await notify(trx, {
			personId: candidate.person_id,
			kind: 'booking_offered',
			params: { ...noticeParams(occ), deadline: deadline.toISOString() },
			link: `/me/offers/${candidate.id}`
		});
		offered.push(candidate.id);
		free--;
	}
	return offered;
}

type Owned = { id: number; occurrence_id: number; person_id: number; status: ReservationStatus; offer_expires_at: Date | null };

/** Locks the occurrence, then the reservation; null when it does not exist. */
async function lockReservation(trx: Kysely<Database>, reservationId: number): Promise<{ r: Owned; occ: Occurrence } | null> {
	const found = await trx.selectFrom('reservation').select('occurrence_id').where('id', '=', reservationId).executeTakeFirst();
	if (!found) return null;
	const occ = await lockOccurrence(trx, found.occurrence_id);
	const r = await trx
		.selectFrom('reservation')
		.select(['id', 'occurrence_id', 'person_id', 'status', 'offer_expires_at'])
		.where('id', '=', reservationId)
		.forUpdate()
		.executeTakeFirst();
	if (!occ || !r) return null;
	return { r: { ...r, status: r.status as ReservationStatus }, occ };
}

export type StepResult = { ok: true; status: ReservationStatus } | { ok: false; reason: Refusal };

/**
 * A person acting on a reservation that is not theirs: allowed only to a carer of the holder (an
 * active household link); the history row then names the carer's account and a `…_for` reason.
 */
function actsFor(trx: Kysely<Database>, actor: Actor, holderPersonId: number): Promise<boolean> {
	return actor.personId === null ? Promise.resolve(false) : mayActFor(trx, actor.personId, holderPersonId);
}

/**
 * Cancels a reservation, a waitlist place or an offer. After the programme's cut-off a held place
 * becomes `late_cancelled`, or, where the programme allows no late cancellation online, the person
 * is refused with `past-cutoff` (see `cancelTiming`). A freed place goes to the waitlist at once.
 * `onBehalf` is for staff, whose right to act for the person the caller has already checked.
 */
export type CancelInput = {
	reservationId: number;
	actor: Actor;
	onBehalf?: boolean;
	reason?: string;
	/** false: the caller tells the person itself (a reschedule sends one notice, not two). */
	notify?: boolean;
	link?: string;
	/** Declining an offer: refused ('not-offered') unless the place is on offer now — never a confirmed place. */
	onlyOffered?: boolean;
};

export async function cancel(db: Kysely<Database>, input: CancelInput): Promise<StepResult> {
	return db.transaction().execute((trx) => cancelIn(trx, input));
}

/** `cancel` inside the caller's transaction. */
export async function cancelIn(trx: Kysely<Database>, input: CancelInput): Promise<StepResult> {
	const found = await lockReservation(trx, input.reservationId);
	if (!found) return { ok: false, reason: 'not-found' };
	const { r, occ } = found;
	const forMember = !input.onBehalf && r.person_id !== input.actor.personId;
	if (forMember && !(await actsFor(trx, input.actor, r.person_id))) return { ok: false, reason: 'not-yours' };
	if (input.onlyOffered && r.status !== 'offered') return { ok: false, reason: 'not-offered' };
	if (!['reserved', 'waitlisted', 'offered'].includes(r.status)) return { ok: false, reason: 'not-cancellable' };
	const at = now().getTime();
	if (occ.starts_at.getTime() <= at) return { ok: false, reason: 'not-cancellable' };
	const timing = cancelTiming(await programmeRules(trx, occ.programme), occ.starts_at, r.status);
	// Staff acting for the person (who phoned) may still cancel late where the person may not.
	if (timing === 'refused' && !input.onBehalf) return { ok: false, reason: 'past-cutoff' };
	const to: ReservationStatus = timing === 'in-time' ? 'cancelled' : 'late_cancelled';
	await transition(
		trx,
		r.id,
		r.status,
		to,
		input.actor.accountId,
		input.reason ?? (input.onBehalf ? 'cancelled_by_staff' : forMember ? 'cancelled_for' : 'cancelled_by_person')
	);
	if (input.notify !== false)
		await notify(trx, {
			personId: r.person_id,
			kind: 'booking_cancelled',
			params: noticeParams(occ),
			link: input.link ?? '/me/reservations'
		});
	if (HOLDING.includes(r.status)) await offerFreedPlaces(trx, occ.id);
	return { ok: true, status: to };
}

/** The person, or their carer, takes up an offered place (by POST from the confirmation page, never by a GET). */
export async function acceptOffer(db: Kysely<Database>, input: { reservationId: number; actor: Actor }): Promise<StepResult> {
	return db.transaction().execute(async (trx): Promise<StepResult> => {
		const found = await lockReservation(trx, input.reservationId);
		if (!found) return { ok: false, reason: 'not-found' };
		const { r } = found;
		const forMember = r.person_id !== input.actor.personId;
		if (forMember && !(await actsFor(trx, input.actor, r.person_id))) return { ok: false, reason: 'not-yours' };
		if (r.status !== 'offered') return { ok: false, reason: 'not-offered' };
		if (!r.offer_expires_at || r.offer_expires_at.getTime() <= now().getTime()) return { ok: false, reason: 'offer-expired' };
		const reason = forMember ? 'offer_accepted_for' : 'offer_accepted';
		await transition(trx, r.id, 'offered', 'reserved', input.actor.accountId, reason, { offer_expires_at: null });
		return { ok: true, status: 'reserved' };
	});
}

/** Offers whose time ran out pass to the next in line. Safe with several workers at once. */
export async function expireOffers(db: Kysely<Database>, limit = 50): Promise<number> {
	const due = await db
		.selectFrom('reservation')
		.select('occurrence_id')
		.distinct()
		.where('status', '=', 'offered')
		.where('offer_expires_at', '<=', now())
		.limit(limit)
		.execute();
	let expired = 0;
	for (const { occurrence_id } of due) {
		expired += await db.transaction().execute(async (trx) => {
			const occ = await lockOccurrence(trx, occurrence_id);
			if (!occ) return 0;
			const stale = await trx
				.selectFrom('reservation')
				.select(['id', 'person_id'])
				.where('occurrence_id', '=', occurrence_id)
				.where('status', '=', 'offered')
				.where('offer_expires_at', '<=', now())
				.forUpdate()
				.execute();
			for (const r of stale) {
				await transition(trx, r.id, 'offered', 'cancelled', null, 'offer_expired', { offer_expires_at: null });
				await notify(trx, { personId: r.person_id, kind: 'booking_offer_expired', params: noticeParams(occ), link: '/me/reservations' });
			}
			await offerFreedPlaces(trx, occurrence_id);
			return stale.length;
		});
	}
	return expired;
}

export const CHECK_IN_OPENS_MINUTES = 60;

/**
 * The one check-in window, from an hour before the start until the end: the person's own check-in,
 * the poster's, the roster's and a walk-in admitted at the door all ask it (pages too, to offer
 * check-in only when it would be accepted).
 */
export function checkInOpen(startsAt: Date, endsAt: Date, at: Date = now()): boolean {
	const t = at.getTime();
	return t >= startsAt.getTime() - CHECK_IN_OPENS_MINUTES * MINUTE && t < endsAt.getTime();
}

/** Marks the person present, within the check-in window (`checkInOpen`). Idempotent. */
export async function checkIn(
	db: Kysely<Database>,
	input: { reservationId: number; actor: Actor; onBehalf?: boolean }
): Promise<StepResult> {
	return db.transaction().execute(async (trx): Promise<StepResult> => {
		const found = await lockReservation(trx, input.reservationId);
		if (!found) return { ok: false, reason: 'not-found' };
		const { r, occ } = found;
		if (!input.onBehalf && r.person_id !== input.actor.personId) return { ok: false, reason: 'not-yours' };
		if (r.status === 'attended') return { ok: true, status: 'attended' };
		if (r.status !== 'reserved' || !checkInOpen(occ.starts_at, occ.ends_at)) return { ok: false, reason: 'check-in-closed' };
		await transition(trx, r.id, 'reserved', 'attended', input.actor.accountId, input.onBehalf ? 'checked_in_by_staff' : 'checked_in', {
			checked_in_at: now()
		});
		return { ok: true, status: 'attended' };
	});
}

/**
 * Staff put a reservation back to the status before its last change (a wrong no-show, a cancel
 * made by mistake). The capacity trigger still applies: a place given away meanwhile stays given.
 */
export async function undoLastChange(db: Kysely<Database>, input: { reservationId: number; actorAccountId: number }): Promise<StepResult> {
	try {
		return await db.transaction().execute(async (trx): Promise<StepResult> => {
			const found = await lockReservation(trx, input.reservationId);
			if (!found) return { ok: false, reason: 'not-found' };
			const last = await trx
				.selectFrom('reservation_event')
				.select(['from_status', 'to_status'])
				.where('reservation_id', '=', input.reservationId)
				.orderBy('id', 'desc')
				.executeTakeFirst();
			if (!last?.from_status || last.to_status !== found.r.status) return { ok: false, reason: 'nothing-to-undo' };
			const back = last.from_status as ReservationStatus;
			await transition(trx, found.r.id, found.r.status, back, input.actorAccountId, 'staff_undo', {
				checked_in_at: back === 'attended' ? undefined : null
			});
			return { ok: true, status: back };
		});
	} catch (error) {
		if (isCapacityViolation(error)) return { ok: false, reason: 'full' };
		if (isExclusionViolation(error, 'reservation_no_overlap')) return { ok: false, reason: 'overlap' };
		throw error;
	}
}

/**
 * The occurrence itself is called off (a closure, a cancelled session or series, a doctor's day):
 * every live reservation ends and each person is told once (unless the caller tells them itself,
 * with `notify: false`). Returns the people affected. Already cancelled: nothing happens.
 * Runs in the caller's transaction (it locks the occurrence row).
 */
export async function cancelOccurrence(
	db: Kysely<Database>,
	occurrenceId: number,
	actorAccountId: number | null,
	reason: string,
	options: { notify?: boolean } = {}
): Promise<number[]> {
	const occ = await lockOccurrence(db, occurrenceId);
	if (!occ || occ.cancelled_at) return [];
	await db.updateTable('occurrence').set({ cancelled_at: now() }).where('id', '=', occurrenceId).execute();
	const live = await db
		.selectFrom('reservation')
		.select(['id', 'person_id', 'status'])
		.where('occurrence_id', '=', occurrenceId)
		.where('status', 'in', ['reserved', 'waitlisted', 'offered'])
		.forUpdate()
		.execute();
	for (const r of live) {
		await transition(db, r.id, r.status as ReservationStatus, 'cancelled', actorAccountId, reason, { offer_expires_at: null });
		if (options.notify !== false) {
			await notify(db, { personId: r.person_id, kind: 'booking_session_cancelled', params: noticeParams(occ), link: '/me/reservations' });
		}
	}
	return live.map((r) => r.person_id);
}

export type OccurrenceChange = { startsAt: Date; endsAt: Date; capacity: number };

export type ChangeResult =
	| { ok: true; moved: number; offered: number }
	| { ok: false; reason: 'not-found' | 'cancelled' | 'started'; held?: undefined; clashes?: undefined }
	| { ok: false; reason: 'below-held'; held: number }
	| { ok: false; reason: 'clashes'; clashes: number };

/**
 * Moves an occurrence that has not started, or changes its number of places, in the caller's
 * transaction. Every booked or waiting person's reservation moves with it and each hears once when
 * the time changes. Refused when fewer places than are held would remain, or when someone booked
 * holds another place at the new time (the exclusion constraint would refuse it anyway). More places
 * go to the waiting list at once. `notify: false`: the caller tells the people itself (its own words).
 */
export async function changeOccurrence(
	trx: Kysely<Database>,
	occurrenceId: number,
	change: OccurrenceChange,
	actorAccountId: number | null,
	options: { notify?: boolean } = {}
): Promise<ChangeResult> {
	const occ = await lockOccurrence(trx, occurrenceId);
	if (!occ) return { ok: false, reason: 'not-found' };
	if (occ.cancelled_at) return { ok: false, reason: 'cancelled' };
	const at = now().getTime();
	if (occ.starts_at.getTime() <= at || change.startsAt.getTime() <= at) return { ok: false, reason: 'started' };
	const held = await heldPlaces(trx, occ.id);
	if (change.capacity < held) return { ok: false, reason: 'below-held', held };
	const timeChanged = occ.starts_at.getTime() !== change.startsAt.getTime() || occ.ends_at.getTime() !== change.endsAt.getTime();
	const live = await trx
		.selectFrom('reservation')
		.select(['id', 'person_id', 'status'])
		.where('occurrence_id', '=', occ.id)
		.where('status', 'in', ['reserved', 'waitlisted', 'offered'])
		.forUpdate()
		.execute();
	if (timeChanged) {
		const moved = { ...occ, starts_at: change.startsAt, ends_at: change.endsAt };
		let clashes = 0;
		for (const r of live)
			if (HOLDING.includes(r.status as ReservationStatus) && (await overlapsHeldPlace(trx, r.person_id, moved, r.id))) clashes++;
		if (clashes) return { ok: false, reason: 'clashes', clashes };
	}
	await trx
		.updateTable('occurrence')
		.set({ starts_at: change.startsAt, ends_at: change.endsAt, capacity: change.capacity })
		.where('id', '=', occ.id)
		.execute();
	if (timeChanged) {
		await trx
			.updateTable('reservation')
			.set({ during: sql`tstzrange(${change.startsAt}, ${change.endsAt}, '[)')`, reminder_sent_at: null, updated_at: now() })
			.where('occurrence_id', '=', occ.id)
			.where('status', 'in', LIVE)
			.execute();
		for (const r of live) {
			await transition(trx, r.id, r.status as ReservationStatus, r.status as ReservationStatus, actorAccountId, 'occurrence_moved');
			if (options.notify === false) continue;
			await notify(trx, {
				personId: r.person_id,
				kind: 'booking_moved',
				params: { ...noticeParams(occ), to: change.startsAt.toISOString() },
				link: '/me/reservations'
			});
		}
	}
	const offered = change.capacity > occ.capacity ? await offerFreedPlaces(trx, occ.id) : [];
	return { ok: true, moved: timeChanged ? live.length : 0, offered: offered.length };
}
