/** What the probes must leave untouched: the fixture owner's rows, and how many rows each table has. */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { rowCounts } from '../helpers/factories';
import type { Fixture } from './fixture';

const COUNTED: (keyof Database)[] = [
	'reservation',
	'reservation_event',
	'appointment',
	'certificate',
	'household_link',
	'person',
	'account',
	'account_role',
	'calendar_feed',
	'notification',
	'outbox',
	'one_time_token',
	'doctor_availability',
	'doctor_exception',
	'doctor',
	'training_assessment',
	'fitness_space',
	'fitness_series',
	'occurrence',
	'coverage_target',
	'doctor_studio',
	'training_session',
	'training_consent'
];

export async function snapshot(db: Kysely<Database>, f: Fixture) {
	const people = [f.residentPerson, f.member];
	return {
		counts: await rowCounts(db, COUNTED),
		reservations: await db
			.selectFrom('reservation')
			.select(['id', 'status', 'during', 'checked_in_at', 'offer_expires_at', 'updated_at'])
			.where('person_id', 'in', people)
			.orderBy('id')
			.execute(),
		appointments: await db
			.selectFrom('appointment')
			.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
			.select(['appointment.reservation_id', 'appointment.during', 'appointment.active', 'appointment.doctor_id'])
			.where('reservation.person_id', 'in', people)
			.orderBy('appointment.reservation_id')
			.execute(),
		certificates: await db
			.selectFrom('certificate')
			.select(['id', 'revoked_at', 'revoke_reason', 'holder_family_name', 'holder_given_name'])
			.where('person_id', '=', f.residentPerson)
			.orderBy('id')
			.execute(),
		links: await db.selectFrom('household_link').selectAll().where('carer_person_id', '=', f.residentPerson).orderBy('id').execute(),
		person: await db.selectFrom('person').selectAll().where('id', 'in', people).orderBy('id').execute(),
		account: await db
			.selectFrom('account')
			.select(['id', 'login_phone', 'login_email', 'password_hash', 'disabled_at', 'locale'])
			.where('person_id', '=', f.residentPerson)
			.execute(),
		feeds: await db.selectFrom('calendar_feed').select(['id', 'revoked_at']).where('person_id', '=', f.residentPerson).execute(),
		notifications: await db
			.selectFrom('notification')
			.select(['id', 'read_at'])
			.where('person_id', '=', f.residentPerson)
			.orderBy('id')
			.execute(),
		hours: await db
			.selectFrom('doctor_availability')
			.select(['id', 'valid_to'])
			.where('doctor_id', '=', f.doctorId)
			.orderBy('id')
			.execute(),
		assessments: await db
			.selectFrom('training_assessment')
			.selectAll()
			.where('reservation_id', '=', f.trainingReservation)
			.orderBy('skill_id')
			.execute(),
		occurrences: await db
			.selectFrom('occurrence')
			.select(['id', 'starts_at', 'ends_at', 'capacity', 'cancelled_at'])
			.where('id', 'in', [f.fitnessOccurrence, f.offerOccurrence, f.staffSession, f.trainingSession])
			.orderBy('id')
			.execute(),
		space: await db.selectFrom('fitness_space').selectAll().where('id', '=', f.space).execute(),
		studio: await db.selectFrom('doctor_studio').selectAll().where('id', '=', f.studio).execute()
	};
}
