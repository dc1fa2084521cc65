/**
 * What a doctor does with their own practice: weekly hours and exceptions, marking visits, calling
 * off a day or one appointment. Every function takes the doctor's own record (from their account),
 * so a doctor can only ever reach their own patients.
 */
import { sql, type Kysely } from 'kysely';
import { transition } from '../booking/history';
import type { ReservationStatus } from '../booking/model';
import { cancelOccurrence, CHECK_IN_OPENS_MINUTES } from '../booking/reservations';
import { addDays, now, shanghaiDate, shanghaiInstant } from '../clock';
import type { Database } from '../db/schema';
import { derivedSlots } from './availability';
import { noticeOfDoctorCancel } from './appointments';
import type { DoctorRecord } from './directory';

const MINUTE = 60_000;

export type RuleInput = { weekday: number; startTime: string; endTime: string; slotMinutes: number; validFrom: string; validTo: string };
export type ExceptionInput = {
	day: string;
	kind: 'leave' | 'extra';
	startTime: string | null;
	endTime: string | null;
	slotMinutes: number | null;
	note: string | null;
};
export type PracticeRefusal = 'not-found' | 'order' | 'too-long' | 'times-needed' | 'not-markable' | 'past-day';

export async function addRule(
	db: Kysely<Database>,
	doctor: DoctorRecord,
	input: RuleInput
): Promise<{ ok: true } | { ok: false; reason: PracticeRefusal }> {
	if (input.endTime <= input.startTime || input.validTo < input.validFrom) return { ok: false, reason: 'order' };
	if (addDays(input.validFrom, 366) < input.validTo) return { ok: false, reason: 'too-long' };
	await db
		.insertInto('doctor_availability')
		.values({
			doctor_id: doctor.id,
			weekday: input.weekday,
			start_time: input.startTime,
			end_time: input.endTime,
			slot_minutes: input.slotMinutes,
			valid_from: input.validFrom,
			valid_to: input.validTo,
			created_at: now()
		})
		.execute();
	return { ok: true };
}

export async function removeRule(db: Kysely<Database>, doctor: DoctorRecord, ruleId: number): Promise<boolean> {
	const r = await db.deleteFrom('doctor_availability').where('id', '=', ruleId).where('doctor_id', '=', doctor.id).executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

export async function addException(
	db: Kysely<Database>,
	doctor: DoctorRecord,
	input: ExceptionInput
): Promise<{ ok: true } | { ok: false; reason: PracticeRefusal }> {
	const timed = input.startTime !== null && input.endTime !== null;
	if ((input.startTime === null) !== (input.endTime === null)) return { ok: false, reason: 'times-needed' };
	if (input.kind === 'extra' && (!timed || input.slotMinutes === null)) return { ok: false, reason: 'times-needed' };
	if (timed && input.endTime! <= input.startTime!) return { ok: false, reason: 'order' };
	await db
		.insertInto('doctor_exception')
		.values({
			doctor_id: doctor.id,
			day: input.day,
			kind: input.kind,
			start_time: input.startTime,
			end_time: input.endTime,
			slot_minutes: input.kind === 'extra' ? input.slotMinutes : null,
			note: input.note,
			created_at: now()
		})
		.execute();
	return { ok: true };
}

export async function removeException(db: Kysely<Database>, doctor: DoctorRecord, exceptionId: number): Promise<boolean> {
	const r = await db.deleteFrom('doctor_exception').where('id', '=', exceptionId).where('doctor_id', '=', doctor.id).executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

export async function rulesOf(db: Kysely<Database>, doctor: DoctorRecord) {
	const [rules, exceptions] = await Promise.all([
		db.selectFrom('doctor_availability').selectAll().where('doctor_id', '=', doctor.id).orderBy('weekday').orderBy('start_time').execute(),
		db
			.selectFrom('doctor_exception')
			.selectAll()
			.where('doctor_id', '=', doctor.id)
			.where('day', '>=', addDays(shanghaiDate(now()), -7))
			.orderBy('day')
			.execute()
	]);
	return {
		rules: rules.map((r) => ({
			id: r.id,
			weekday: r.weekday,
			startTime: r.start_time.slice(0, 5),
			endTime: r.end_time.slice(0, 5),
			slotMinutes: r.slot_minutes,
			validFrom: r.valid_from,
			validTo: r.valid_to
		})),
		exceptions: exceptions.map((e) => ({
			id: e.id,
			day: e.day,
			kind: e.kind as 'leave' | 'extra',
			startTime: e.start_time?.slice(0, 5) ?? null,
			endTime: e.end_time?.slice(0, 5) ?? null,
			slotMinutes: e.slot_minutes,
			note: e.note
		}))
	};
}

/**
 * Upcoming booked appointments that the doctor's hours no longer cover (a rule changed, leave was
 * added). Changing hours never drops a booking silently: these are listed for the doctor to act on.
 */
export async function appointmentsOutsideHours(db: Kysely<Database>, doctor: DoctorRecord) {
	const rows = await db
		.selectFrom('appointment')
		.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.innerJoin('person', 'person.id', 'reservation.person_id')
		.select([
			'appointment.reservation_id as id',
			'occurrence.starts_at',
			'occurrence.ends_at',
			'person.family_name',
			'person.given_name',
			'person.phone'
		])
		.where('appointment.doctor_id', '=', doctor.id)
		.where('reservation.status', '=', 'reserved')
		.where('occurrence.starts_at', '>', now())
		.orderBy('occurrence.starts_at')
		.execute();
	if (rows.length === 0) return [];
	const first = shanghaiDate(rows[0]!.starts_at);
	const last = shanghaiDate(rows[rows.length - 1]!.starts_at);
	const slots = await derivedSlots(db, doctor.id, first, last);
	return rows
		.filter((r) => !slots.some((s) => s.start.getTime() <= r.starts_at.getTime() && r.ends_at.getTime() <= s.end.getTime()))
		.map((r) => ({ id: r.id, startsAt: r.starts_at.toISOString(), patient: `${r.family_name}${r.given_name}`, phone: r.phone }));
}

export type VisitOutcome = 'attended' | 'no_show';

/**
 * Whether a visit may be marked with `outcome` now: only a booked, seen or missed one; seen from the
 * check-in window's opening (an hour before the start), did-not-come once it has started. The agenda
 * offers only the marks this accepts, so a future visit offers none.
 */
export function mayMarkVisit(status: ReservationStatus, startsAt: Date, outcome: VisitOutcome, at: Date = now()): boolean {
	if (!['reserved', 'attended', 'no_show'].includes(status)) return false;
	const opens = outcome === 'attended' ? startsAt.getTime() - CHECK_IN_OPENS_MINUTES * MINUTE : startsAt.getTime();
	return at.getTime() >= opens;
}

/** The marks the agenda offers for a visit: those `mayMarkVisit` accepts that would change it. */
export function visitMarks(status: ReservationStatus, startsAt: Date, at: Date = now()): VisitOutcome[] {
	return (['attended', 'no_show'] as const).filter((o) => o !== status && mayMarkVisit(status, startsAt, o, at));
}

/** Marks a visit seen or missed, when `mayMarkVisit` allows it. */
export async function markVisit(
	db: Kysely<Database>,
	doctor: DoctorRecord,
	input: { appointmentId: number; outcome: VisitOutcome }
): Promise<{ ok: true } | { ok: false; reason: PracticeRefusal }> {
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.selectFrom('appointment')
			.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
			.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
			.select(['reservation.id', 'reservation.status', 'occurrence.starts_at'])
			.where('appointment.reservation_id', '=', input.appointmentId)
			.where('appointment.doctor_id', '=', doctor.id)
			.forUpdate()
			.executeTakeFirst();
		if (!row) return { ok: false as const, reason: 'not-found' as const };
		const status = row.status as ReservationStatus;
		if (!mayMarkVisit(status, row.starts_at, input.outcome)) return { ok: false as const, reason: 'not-markable' as const };
		if (status === input.outcome) return { ok: true as const };
		await transition(trx, row.id, status, input.outcome, doctor.accountId, 'marked_by_doctor', {
			checked_in_at: input.outcome === 'attended' ? now() : null
		});
		return { ok: true as const };
	});
}

async function callOff(
	trx: Kysely<Database>,
	doctor: DoctorRecord,
	ids: { reservationId: number; occurrenceId: number; personId: number }[],
	reason: string
) {
	const people = new Set<number>();
	for (const r of ids) {
		for (const p of await cancelOccurrence(trx, r.occurrenceId, doctor.accountId, reason, { notify: false })) people.add(p);
	}
	return people;
}

/**
 * The doctor cannot work on `day`: the day becomes leave (no new bookings), every appointment on it
 * is cancelled, and each person gets one notice with the message and a link to book again.
 */
export async function cancelDay(
	db: Kysely<Database>,
	doctor: DoctorRecord,
	input: { day: string; message: string }
): Promise<{ ok: true; people: number } | { ok: false; reason: PracticeRefusal }> {
	if (input.day < shanghaiDate(now())) return { ok: false, reason: 'past-day' };
	return db.transaction().execute(async (trx) => {
		await trx
			.insertInto('doctor_exception')
			.values({ doctor_id: doctor.id, day: input.day, kind: 'leave', note: input.message, created_at: now() })
			.execute();
		const booked = await trx
			.selectFrom('appointment')
			.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
			.select(['reservation.id as reservationId', 'reservation.occurrence_id as occurrenceId', 'reservation.person_id as personId'])
			.where('appointment.doctor_id', '=', doctor.id)
			.where('appointment.active', '=', true)
			.where('reservation.status', '=', 'reserved')
			.where(sql<boolean>`appointment.during && tstzrange(${shanghaiInstant(input.day)}, ${shanghaiInstant(addDays(input.day, 1))}, '[)')`)
			.execute();
		const people = await callOff(trx, doctor, booked, 'doctor_day_cancelled');
		for (const personId of people) await noticeOfDoctorCancel(trx, personId, doctor, { when: input.day, message: input.message });
		return { ok: true as const, people: people.size };
	});
}

/** The doctor calls off one upcoming appointment (e.g. one their new hours no longer cover), with a message. */
export async function cancelByDoctor(
	db: Kysely<Database>,
	doctor: DoctorRecord,
	input: { appointmentId: number; message: string }
): Promise<{ ok: true } | { ok: false; reason: PracticeRefusal }> {
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.selectFrom('appointment')
			.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
			.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
			.select([
				'reservation.id as reservationId',
				'reservation.occurrence_id as occurrenceId',
				'reservation.person_id as personId',
				'occurrence.starts_at'
			])
			.where('appointment.reservation_id', '=', input.appointmentId)
			.where('appointment.doctor_id', '=', doctor.id)
			.where('reservation.status', '=', 'reserved')
			.executeTakeFirst();
		if (!row || row.starts_at.getTime() <= now().getTime()) return { ok: false as const, reason: 'not-found' as const };
		await callOff(trx, doctor, [row], 'cancelled_by_doctor');
		await noticeOfDoctorCancel(trx, row.personId, doctor, { when: row.starts_at.toISOString(), message: input.message });
		return { ok: true as const };
	});
}
