/** Appointments as lists: the resident's own, and a doctor's agenda (with the patient's contact). */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import type { ReservationStatus } from '../booking/model';
import { addDays, shanghaiInstant } from '../clock';
import type { Database } from '../db/schema';
import { isService, type Service } from './model';
import { visitMarks } from './practice';

function base(db: Kysely<Database>) {
	return db
		.selectFrom('appointment')
		.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.innerJoin('doctor', 'doctor.id', 'appointment.doctor_id')
		.innerJoin('doctor_studio', 'doctor_studio.id', 'doctor.studio_id')
		.innerJoin('account as doctor_account', 'doctor_account.id', 'doctor.account_id')
		.innerJoin('person as doctor_person', 'doctor_person.id', 'doctor_account.person_id')
		.innerJoin('person as patient', 'patient.id', 'reservation.person_id')
		.select([
			'appointment.reservation_id as id',
			'appointment.doctor_id',
			'appointment.service',
			'appointment.reason',
			'reservation.status',
			'reservation.person_id',
			'occurrence.starts_at',
			'occurrence.ends_at',
			'occurrence.cancelled_at',
			'doctor.title_zh',
			'doctor.title_en',
			'doctor_person.family_name as doctor_family',
			'doctor_person.given_name as doctor_given',
			'doctor_studio.name_zh as studio_zh',
			'doctor_studio.name_en as studio_en',
			'doctor_studio.address_zh',
			'doctor_studio.address_en',
			'doctor_studio.phone as studio_phone',
			'patient.family_name',
			'patient.given_name',
			'patient.phone'
		]);
}

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

function view(r: Row, locale: Locale) {
	const en = locale === 'en';
	return {
		id: r.id,
		personId: r.person_id,
		doctorId: r.doctor_id,
		doctor: `${r.doctor_family}${r.doctor_given}`,
		doctorTitle: en ? r.title_en : r.title_zh,
		studio: en ? r.studio_en : r.studio_zh,
		address: en ? r.address_en : r.address_zh,
		studioPhone: r.studio_phone,
		service: (isService(r.service) ? r.service : 'consultation') as Service,
		reason: r.reason,
		status: r.status as ReservationStatus,
		startsAt: r.starts_at.toISOString(),
		endsAt: r.ends_at.toISOString()
	};
}

export type AppointmentView = ReturnType<typeof view>;

/** The appointments of a person, or of several (a carer's list holds their household's too). */
export async function appointmentsOf(db: Kysely<Database>, personId: number | number[], locale: Locale): Promise<AppointmentView[]> {
	const ids = Array.isArray(personId) ? personId : [personId];
	const rows = await base(db).where('reservation.person_id', 'in', ids).orderBy('occurrence.starts_at').execute();
	return rows.map((r) => view(r, locale));
}

/** One appointment, only for its own person: anyone else's id is simply not found. */
export async function appointmentOf(db: Kysely<Database>, personId: number, id: number, locale: Locale) {
	const row = await base(db).where('appointment.reservation_id', '=', id).where('reservation.person_id', '=', personId).executeTakeFirst();
	return row ? view(row, locale) : null;
}

/**
 * The doctor's own appointments from `fromDay` to `toDay` (Shanghai dates), with each patient's name
 * and phone, and the marks (seen / did not come) that may be recorded now.
 */
export async function agenda(db: Kysely<Database>, doctorId: number, fromDay: string, toDay: string, locale: Locale) {
	const rows = await base(db)
		.where('appointment.doctor_id', '=', doctorId)
		.where('occurrence.starts_at', '>=', shanghaiInstant(fromDay))
		.where('occurrence.starts_at', '<', shanghaiInstant(addDays(toDay, 1)))
		.where('reservation.status', 'in', ['reserved', 'attended', 'no_show', 'late_cancelled'])
		.orderBy('occurrence.starts_at')
		.execute();
	return rows.map((r) => ({
		...view(r, locale),
		patient: `${r.family_name}${r.given_name}`,
		phone: r.phone,
		marks: visitMarks(r.status as ReservationStatus, r.starts_at)
	}));
}

/** The person's next booked appointments, soonest first (the home page). */
export async function nextAppointments(db: Kysely<Database>, personId: number, locale: Locale, at: Date, limit = 3) {
	const rows = await base(db)
		.where('reservation.person_id', '=', personId)
		.where('reservation.status', '=', 'reserved')
		.where('occurrence.ends_at', '>', at)
		.orderBy('occurrence.starts_at')
		.limit(limit)
		.execute();
	return rows.map((r) => view(r, locale));
}
