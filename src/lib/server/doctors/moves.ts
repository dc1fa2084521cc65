/**
 * The doctor moves one of their own upcoming appointments (typically one their new hours no longer
 * cover) to another of their free slots. The appointment keeps its id: the core moves its
 * occurrence, so the person's page, reminders and calendar entry follow it. The same guards as a
 * resident's reschedule hold: the doctor's exclusion constraint (a slot just taken answers with the
 * nearest free ones), the person's overlap rule (their other bookings), the booking-ahead window.
 * The person is told once, with the new time and the doctor's message; the move is audited.
 */
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit';
import { changeOccurrence, programmeRules } from '../booking/reservations';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { isExclusionViolation } from '../db/errors';
import { notify } from '../notifications/notify';
import { slotAt, takenTimes, type Slot } from './availability';
import type { DoctorRecord } from './directory';
import { isService, type Service } from './model';
import { nearestFree } from './slots';

const MINUTE = 60_000;

/** Each has a message `doctor.refused.<reason>`. */
export type MoveRefusal = 'not-found' | 'no-slot' | 'not-bookable' | 'taken' | 'patient-busy';
export type MoveResult = { ok: true; appointmentId: number } | { ok: false; reason: MoveRefusal; nearest?: Slot[] };

class Refused extends Error {
	constructor(readonly reason: MoveRefusal) {
		super(reason);
	}
}

/** The doctor's own appointment, still booked and not started; anyone else's id is not found. */
export async function movableAppointment(db: Kysely<Database>, doctor: DoctorRecord, appointmentId: number) {
	const row = await db
		.selectFrom('appointment')
		.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.innerJoin('person', 'person.id', 'reservation.person_id')
		.select([
			'appointment.reservation_id as id',
			'appointment.service',
			'reservation.occurrence_id',
			'reservation.person_id',
			'occurrence.starts_at',
			'occurrence.ends_at',
			'person.family_name',
			'person.given_name',
			'person.phone'
		])
		.where('appointment.reservation_id', '=', appointmentId)
		.where('appointment.doctor_id', '=', doctor.id)
		.where('reservation.status', '=', 'reserved')
		.where('occurrence.starts_at', '>', now())
		.executeTakeFirst();
	if (!row) return null;
	return {
		id: row.id,
		service: (isService(row.service) ? row.service : 'consultation') as Service,
		occurrenceId: row.occurrence_id,
		personId: row.person_id,
		startsAt: row.starts_at,
		endsAt: row.ends_at,
		patient: `${row.family_name}${row.given_name}`,
		phone: row.phone
	};
}

/** Why the doctor's slot at `start` cannot take this appointment now, before any transaction. */
async function slotRefusal(db: Kysely<Database>, doctor: DoctorRecord, start: Date, current: { startsAt: Date; endsAt: Date }) {
	const slot = await slotAt(db, doctor.id, start);
	if (!slot) return { reason: 'no-slot' as const };
	const rules = await programmeRules(db, 'doctor');
	const at = now().getTime();
	// The person needs the same notice as for a booking of their own, and the same horizon.
	if (slot.start.getTime() - at < rules.minNoticeMinutes * MINUTE || slot.start.getTime() > at + rules.horizonDays * 24 * 60 * MINUTE)
		return { reason: 'not-bookable' as const };
	const others = (await takenTimes(db, doctor.id, slot.start, slot.end)).filter(
		(t) => t.start.getTime() !== current.startsAt.getTime() || t.end.getTime() !== current.endsAt.getTime()
	);
	if (others.length > 0 || slot.start.getTime() === current.startsAt.getTime()) return { reason: 'taken' as const };
	return { slot };
}

export async function moveByDoctor(
	db: Kysely<Database>,
	doctor: DoctorRecord,
	input: { appointmentId: number; start: Date; message: string }
): Promise<MoveResult> {
	const current = await movableAppointment(db, doctor, input.appointmentId);
	if (!current) return { ok: false, reason: 'not-found' };
	const checked = await slotRefusal(db, doctor, input.start, current);
	if (!checked.slot) {
		const reason = checked.reason;
		return reason === 'taken' ? { ok: false, reason, nearest: await nearestFree(db, doctor.id, input.start) } : { ok: false, reason };
	}
	const slot = checked.slot;
	try {
		await db.transaction().execute(async (trx) => {
			// The occurrence first (as every core step), then whether it is still booked: the person
			// may have cancelled meanwhile.
			await trx.selectFrom('occurrence').select('id').where('id', '=', current.occurrenceId).forUpdate().execute();
			const still = await trx.selectFrom('reservation').select('status').where('id', '=', current.id).forUpdate().executeTakeFirstOrThrow();
			if (still.status !== 'reserved') throw new Refused('not-found');
			const moved = await changeOccurrence(
				trx,
				current.occurrenceId,
				{ startsAt: slot.start, endsAt: slot.end, capacity: 1 },
				doctor.accountId,
				{ notify: false }
			);
			if (!moved.ok) throw new Refused(moved.reason === 'clashes' ? 'patient-busy' : 'not-found');
			await trx
				.updateTable('appointment')
				.set({ during: sql<string>`tstzrange(${slot.start}, ${slot.end}, '[)')` })
				.where('reservation_id', '=', current.id)
				.execute();
			await notify(trx, {
				personId: current.personId,
				kind: 'doctor_moved',
				params: {
					doctor: doctor.name,
					studio_zh: doctor.studio.zh,
					studio_en: doctor.studio.en,
					when: current.startsAt.toISOString(),
					to: slot.start.toISOString(),
					message: input.message
				},
				link: `/me/appointments/${current.id}`
			});
			await audit(trx, {
				actorAccountId: doctor.accountId,
				action: 'appointment.move',
				subjectType: 'appointment',
				subjectId: current.id,
				communityId: doctor.communityId,
				details: { from: current.startsAt.toISOString(), to: slot.start.toISOString() }
			});
		});
		return { ok: true, appointmentId: current.id };
	} catch (error) {
		if (error instanceof Refused) return { ok: false, reason: error.reason };
		if (isExclusionViolation(error, 'appointment_doctor_no_overlap'))
			return { ok: false, reason: 'taken', nearest: await nearestFree(db, doctor.id, input.start) };
		if (isExclusionViolation(error, 'reservation_no_overlap')) return { ok: false, reason: 'patient-busy' };
		throw error;
	}
}
