/**
 * At the counter: staff book a fitness session, a training place or a family doctor's
 * slot for a person of their community who came in or phoned. The booking core's rules for the person apply; the audit
 * trail says "booked by staff X for Y" (actor X, subject Y).
 */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import type { Programme, Refusal } from '../booking/model';
import { heldColumn } from '../booking/occurrences';
import { programmeRules, refusalFromError, reserveIn } from '../booking/reservations';
import { scopeOf } from '../auth/roles';
import { isDateString, now } from '../clock';
import type { Database } from '../db/schema';
import { book } from '../doctors/appointments';
import { doctorRecord, type DoctorRecord } from '../doctors/directory';
import type { DoctorRefusal, Service } from '../doctors/model';
import { bookableDays, slotStates } from '../doctors/slots';
import { personForStaff, staffCovers, type Actor } from '../people/people';

/**
 * Coming fitness sessions and trainings of the staff member's communities (the next two weeks), with
 * the places left and whether a full one takes a waiting list, so the counter sees what booking gives.
 */
export async function counterChoices(db: Kysely<Database>, actor: Actor, locale: Locale) {
	const scope = scopeOf(actor.roles, 'staff');
	let query = db
		.selectFrom('occurrence')
		.select((eb) => ['id', 'programme', 'title_zh', 'title_en', 'starts_at', 'capacity', heldColumn(eb)])
		.where('programme', 'in', ['fitness', 'training'])
		.where('cancelled_at', 'is', null)
		.where('starts_at', '>', now())
		.where('starts_at', '<', new Date(now().getTime() + 14 * 24 * 60 * 60_000));
	if (scope !== 'all') query = scope.length ? query.where('community_id', 'in', scope) : query.where('id', '=', -1);
	const rows = await query.orderBy('starts_at').limit(40).execute();
	const waitlist = new Map<string, boolean>();
	for (const programme of new Set(rows.map((r) => r.programme)))
		waitlist.set(programme, (await programmeRules(db, programme as Programme)).waitlist);
	return rows.map((r) => ({
		id: r.id,
		programme: r.programme,
		title: locale === 'en' ? r.title_en : r.title_zh,
		startsAt: r.starts_at,
		placesLeft: Math.max(0, r.capacity - Number(r.held ?? 0)),
		waitlist: waitlist.get(r.programme) === true
	}));
}

/** What booking at the counter did: a place, or a place on the waiting list at `position` (1: next in line). */
export type CounterResult =
	| { ok: true; reservationId: number; status: 'reserved' | 'waitlisted'; position: number | null }
	| { ok: false; reason: Refusal | 'out-of-scope' };

export async function bookAtCounter(db: Kysely<Database>, actor: Actor, personId: number, occurrenceId: number): Promise<CounterResult> {
	const person = await personForStaff(db, actor, personId);
	if (!person) return { ok: false, reason: 'out-of-scope' };
	try {
		return await db.transaction().execute(async (trx): Promise<CounterResult> => {
			const booked = await reserveIn(trx, { occurrenceId, personId, actor: { accountId: actor.accountId, personId: null } });
			if (!booked.ok) return booked;
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: 'reservation.book_for_person',
				subjectType: 'person',
				subjectId: personId,
				communityId: person.communityId,
				details: { reservation_id: booked.reservationId, occurrence_id: occurrenceId }
			});
			// Not a walk-in: the core answers reserved or waitlisted.
			const status = booked.status === 'waitlisted' ? 'waitlisted' : 'reserved';
			return { ok: true, reservationId: booked.reservationId, status, position: booked.position };
		});
	} catch (error) {
		const reason = refusalFromError(error);
		if (reason) return { ok: false, reason };
		throw error;
	}
}

/** An active doctor whose studio is in one of the staff member's communities; null for any other id. */
async function doctorForStaff(db: Kysely<Database>, actor: Actor, doctorId: number): Promise<DoctorRecord | null> {
	const doctor = await doctorRecord(db, doctorId);
	return doctor && doctor.active && staffCovers(actor, doctor.communityId) ? doctor : null;
}

/** The active doctors of the staff member's communities, to pick from at the counter. */
export async function counterDoctors(db: Kysely<Database>, actor: Actor, locale: Locale) {
	const scope = scopeOf(actor.roles, 'staff');
	if (scope !== 'all' && scope.length === 0) return [];
	let query = db
		.selectFrom('doctor')
		.innerJoin('doctor_studio', 'doctor_studio.id', 'doctor.studio_id')
		.select('doctor.id')
		.where('doctor.active', '=', true);
	if (scope !== 'all') query = query.where('doctor_studio.community_id', 'in', scope);
	const rows = await query.orderBy('doctor_studio.id').orderBy('doctor.id').limit(50).execute();
	const doctors = (await Promise.all(rows.map((r) => doctorRecord(db, r.id)))).filter((d): d is DoctorRecord => d !== null);
	return doctors.map((d) => ({
		id: d.id,
		name: d.name,
		title: locale === 'en' ? d.title.en : d.title.zh,
		studio: locale === 'en' ? d.studio.en : d.studio.zh,
		services: d.services
	}));
}

/**
 * What the counter shows for one doctor: the bookable days with their free slots, and the free
 * slots of the chosen day (the requested one, else the first with a free slot). null: no such doctor
 * in the staff member's communities.
 */
export async function counterDoctorDay(db: Kysely<Database>, actor: Actor, doctorId: number, requestedDay: string | null) {
	const doctor = await doctorForStaff(db, actor, doctorId);
	if (!doctor) return null;
	const days = await bookableDays(db, doctor.id);
	const day =
		requestedDay && isDateString(requestedDay) && days.some((d) => d.day === requestedDay)
			? requestedDay
			: (days.find((d) => d.free > 0)?.day ?? days[0]!.day);
	const slots = (await slotStates(db, doctor.id, day, day)).filter((s) => s.state === 'free');
	return { doctorId: doctor.id, services: doctor.services, days, day, slots: slots.map((s) => ({ start: s.start, end: s.end })) };
}

export type CounterDoctorInput = { doctorId: number; start: Date; service: Service; reason: string | null };
export type CounterDoctorResult = { ok: true; appointmentId: number } | { ok: false; reason: DoctorRefusal | 'out-of-scope' };

/**
 * A doctor's slot for the person, through the doctor module's booking (the person's limit, notice and
 * overlap rules; the doctor never double-booked), recorded as booked by the staff member for the
 * person: the history says `booked_for`, the audit trail "booked by staff X for Y", in one transaction.
 */
export async function bookDoctorAtCounter(
	db: Kysely<Database>,
	actor: Actor,
	personId: number,
	input: CounterDoctorInput
): Promise<CounterDoctorResult> {
	const person = await personForStaff(db, actor, personId);
	if (!person) return { ok: false, reason: 'out-of-scope' };
	if (!(await doctorForStaff(db, actor, input.doctorId))) return { ok: false, reason: 'not-found' };
	const result = await book(db, {
		...input,
		personId,
		actor: { accountId: actor.accountId, personId: null },
		afterWrite: (trx, appointmentId) =>
			audit(trx, {
				actorAccountId: actor.accountId,
				action: 'appointment.book_for_person',
				subjectType: 'person',
				subjectId: personId,
				communityId: person.communityId,
				details: { appointment_id: appointmentId, doctor_id: input.doctorId }
			})
	});
	return result.ok ? { ok: true, appointmentId: result.appointmentId } : { ok: false, reason: result.reason };
}
