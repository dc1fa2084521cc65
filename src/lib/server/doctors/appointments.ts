/**
 * Booking a doctor's slot through the booking core. One transaction creates the slot's occurrence
 * (capacity 1), reserves it with the core's rules (horizon, notice, limit, a person's overlaps) and
 * writes the appointment, whose exclusion constraint keeps the doctor from being double-booked: of
 * many people racing for one slot, the database lets exactly one through and the rest are told it
 * was just taken, with the nearest free slots.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../booking/model';
import { cancelIn, cancelTiming, programmeRules, refusalFromError, reserveIn } from '../booking/reservations';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { isExclusionViolation } from '../db/errors';
import { notify } from '../notifications/notify';
import { slotAt, takenTimes, type Slot } from './availability';
import { doctorRecord, type DoctorRecord } from './directory';
import type { DoctorRefusal, Service } from './model';
import { nearestFree } from './slots';

export type BookInput = {
	doctorId: number;
	start: Date;
	personId: number;
	actor: Actor;
	service: Service;
	reason: string | null;
	/** Runs in the booking's transaction once the appointment is written (staff at the counter audit it there). */
	afterWrite?: (trx: Kysely<Database>, appointmentId: number) => Promise<void>;
};
export type BookResult = { ok: true; appointmentId: number } | { ok: false; reason: DoctorRefusal; nearest?: Slot[] };

class Refused extends Error {
	constructor(readonly reason: DoctorRefusal) {
		super(reason);
	}
}

async function writeAppointment(trx: Kysely<Database>, doctor: DoctorRecord, slot: Slot, input: Omit<BookInput, 'doctorId' | 'start'>) {
	const occurrence = await trx
		.insertInto('occurrence')
		.values({
			programme: 'doctor',
			community_id: doctor.communityId,
			title_zh: `家庭医生 ${doctor.name}（${doctor.title.zh}）`,
			title_en: `Family doctor ${doctor.name} (${doctor.title.en})`,
			location_zh: `${doctor.studio.zh}（${doctor.address.zh}）`,
			location_en: `${doctor.studio.en} (${doctor.address.en})`,
			starts_at: slot.start,
			ends_at: slot.end,
			capacity: 1,
			created_at: now()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const booked = await reserveIn(trx, {
		occurrenceId: occurrence.id,
		personId: input.personId,
		actor: input.actor,
		link: '/me/appointments'
	});
	if (!booked.ok) throw new Refused(booked.reason);
	await trx
		.insertInto('appointment')
		.values({
			reservation_id: booked.reservationId,
			doctor_id: doctor.id,
			service: input.service,
			reason: input.reason,
			during: sql<string>`tstzrange(${slot.start}, ${slot.end}, '[)')`,
			active: true,
			created_at: now()
		})
		.execute();
	return booked.reservationId;
}

async function refusedFor(db: Kysely<Database>, error: unknown, doctorId: number, start: Date): Promise<BookResult> {
	if (error instanceof Refused) return { ok: false, reason: error.reason };
	if (isExclusionViolation(error, 'appointment_doctor_no_overlap'))
		return { ok: false, reason: 'taken', nearest: await nearestFree(db, doctorId, start) };
	const reason = refusalFromError(error);
	if (reason) return { ok: false, reason };
	throw error;
}

/** The checks that need no transaction: the doctor works then, offers the service, the slot looks free. */
async function precheck(db: Kysely<Database>, doctorId: number, start: Date, service: Service) {
	const doctor = await doctorRecord(db, doctorId);
	if (!doctor || !doctor.active) return { ok: false as const, reason: 'not-found' as const };
	if (!doctor.services.includes(service)) return { ok: false as const, reason: 'service' as const };
	const slot = await slotAt(db, doctorId, start);
	if (!slot) return { ok: false as const, reason: 'no-slot' as const };
	// A courtesy: the constraint decides, but most latecomers need not try the insert.
	if ((await takenTimes(db, doctorId, slot.start, slot.end)).length > 0) return { ok: false as const, reason: 'taken' as const };
	return { ok: true as const, doctor, slot };
}

export async function book(db: Kysely<Database>, input: BookInput): Promise<BookResult> {
	const checked = await precheck(db, input.doctorId, input.start, input.service);
	if (!checked.ok) {
		return checked.reason === 'taken'
			? { ok: false, reason: 'taken', nearest: await nearestFree(db, input.doctorId, input.start) }
			: checked;
	}
	try {
		const appointmentId = await db.transaction().execute(async (trx) => {
			const id = await writeAppointment(trx, checked.doctor, checked.slot, input);
			await input.afterWrite?.(trx, id);
			return id;
		});
		return { ok: true, appointmentId };
	} catch (error) {
		return refusedFor(db, error, input.doctorId, input.start);
	}
}

type Mine = {
	reservationId: number;
	occurrenceId: number;
	personId: number;
	status: string;
	startsAt: Date;
	doctorId: number;
	service: string;
	reason: string | null;
};

/** The person's own appointment (anyone else's id is not found). */
async function mine(db: Kysely<Database>, appointmentId: number, personId: number): Promise<Mine | null> {
	const row = await db
		.selectFrom('appointment')
		.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.select([
			'reservation.id',
			'reservation.occurrence_id',
			'reservation.person_id',
			'reservation.status',
			'occurrence.starts_at',
			'appointment.doctor_id',
			'appointment.service',
			'appointment.reason'
		])
		.where('appointment.reservation_id', '=', appointmentId)
		.where('reservation.person_id', '=', personId)
		.executeTakeFirst();
	return row
		? {
				reservationId: row.id,
				occurrenceId: row.occurrence_id,
				personId: row.person_id,
				status: row.status,
				startsAt: row.starts_at,
				doctorId: row.doctor_id,
				service: row.service,
				reason: row.reason
			}
		: null;
}

/**
 * Changes online end at the programme's cancel cut-off; after it, the studio is to be phoned. The
 * core's `cancelTiming` decides, so a cancel through any other page (my reservations) answers the same.
 */
async function changeable(db: Kysely<Database>, appointment: Mine | null): Promise<DoctorRefusal | null> {
	if (!appointment) return 'not-found';
	if (appointment.status !== 'reserved') return 'not-cancellable';
	const rules = await programmeRules(db, 'doctor');
	return cancelTiming(rules, appointment.startsAt, 'reserved') === 'in-time' ? null : 'past-cutoff';
}

export type StepResult = { ok: true } | { ok: false; reason: DoctorRefusal };

export async function cancelAppointment(
	db: Kysely<Database>,
	input: { appointmentId: number; personId: number; actor: Actor }
): Promise<StepResult> {
	const appointment = await mine(db, input.appointmentId, input.personId);
	const refused = await changeable(db, appointment);
	if (refused) return { ok: false, reason: refused };
	const result = await cancel(db, input.appointmentId, input.actor);
	return result.ok ? { ok: true } : result;
}

function cancel(db: Kysely<Database>, reservationId: number, actor: Actor) {
	return db.transaction().execute((trx) => cancelIn(trx, { reservationId, actor, link: '/doctors' }));
}

/** Moves the person's appointment to another slot of the same doctor: all or nothing. */
export async function reschedule(
	db: Kysely<Database>,
	input: { appointmentId: number; personId: number; actor: Actor; start: Date }
): Promise<BookResult> {
	const appointment = await mine(db, input.appointmentId, input.personId);
	const refused = await changeable(db, appointment);
	if (refused || !appointment) return { ok: false, reason: refused ?? 'not-found' };
	const service = appointment.service as Service;
	const checked = await precheck(db, appointment.doctorId, input.start, service);
	if (!checked.ok) {
		return checked.reason === 'taken'
			? { ok: false, reason: 'taken', nearest: await nearestFree(db, appointment.doctorId, input.start) }
			: checked;
	}
	try {
		const appointmentId = await db.transaction().execute(async (trx) => {
			const cancelled = await cancelIn(trx, {
				reservationId: appointment.reservationId,
				actor: input.actor,
				reason: 'rescheduled',
				notify: false
			});
			if (!cancelled.ok) throw new Refused(cancelled.reason);
			return writeAppointment(trx, checked.doctor, checked.slot, { ...input, service, reason: appointment.reason });
		});
		return { ok: true, appointmentId };
	} catch (error) {
		return refusedFor(db, error, appointment.doctorId, input.start);
	}
}

/** Tells a person once, in the caller's transaction, that the doctor called off their appointment(s). */
export async function noticeOfDoctorCancel(
	trx: Kysely<Database>,
	personId: number,
	doctor: DoctorRecord,
	params: { when: string; message: string }
): Promise<void> {
	await notify(trx, {
		personId,
		kind: 'doctor_cancelled',
		params: { doctor: doctor.name, studio_zh: doctor.studio.zh, studio_en: doctor.studio.en, when: params.when, message: params.message },
		link: `/doctors/${doctor.id}`
	});
}
