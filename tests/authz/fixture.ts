/**
 * The authorisation suites' one fixture: the demo data set (its five accounts log in with the demo
 * password), objects owned by the demo resident of 东门社区 (community A), and a second person of
 * each kind in 立新社区 (community B) to probe with someone else's ids.
 */
import type { Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import { reserve } from '../../src/lib/server/booking/reservations';
import { createFeed } from '../../src/lib/server/calendar/feed';
import { book } from '../../src/lib/server/doctors/appointments';
import { doctorRecord, type DoctorRecord } from '../../src/lib/server/doctors/directory';
import { addException } from '../../src/lib/server/doctors/practice';
import { nearestFree } from '../../src/lib/server/doctors/slots';
import { addMember } from '../../src/lib/server/households/households';
import { addDays, today } from '../../src/lib/server/clock';
import { createSession } from '../../src/lib/server/training/sessions';
import { DEMO_PASSWORD, seedDemoData } from '../../src/lib/server/demo/seed';
import type { Database } from '../../src/lib/server/db/schema';
import { createAccount, createOccurrence, FACTORY_PASSWORD } from '../helpers/factories';

export const ROLES = ['anonymous', 'resident', 'trainer', 'doctor', 'staff', 'admin'] as const;
export type Who = (typeof ROLES)[number];

/** The demo accounts: one per role; staff limited to 东门社区. */
export const DEMO_LOGINS: Record<Exclude<Who, 'anonymous'>, string> = {
	resident: '13800000001',
	trainer: '13800000002',
	doctor: '13800000003',
	staff: '13800000004',
	admin: '13800000005'
};
export { DEMO_PASSWORD, FACTORY_PASSWORD };

export type Fixture = {
	communityA: number;
	communityB: number;
	/** The demo resident (community A) and what they own. */
	residentPerson: number;
	residentAccount: number;
	/** Another resident of community A whose account the admin pages act on (never the prober's). */
	targetAccount: number;
	targetPerson: number;
	fitnessOccurrence: number;
	fitnessReservation: number;
	/** The resident's place in a session about to start, at `space` (check-in open). */
	checkinReservation: number;
	offerReservation: number;
	offerOccurrence: number;
	appointment: number;
	doctorId: number;
	/** A free slot of that doctor (ISO), the availability rule and exception the doctor may remove. */
	freeSlot: string;
	doctorRule: number;
	doctorException: number;
	certificate: number;
	certificateCode: string;
	trainingSession: number;
	trainingReservation: number;
	courseId: number;
	member: number;
	memberLink: number;
	notification: number;
	otherTrainerSession: number;
	calendarSecret: string;
	/** Staff objects of community A (none of them holds the resident's places). */
	space: number;
	spaceCode: string;
	series: number;
	staffSession: number;
	studio: number;
	/** Second people, in community B, each logging in with FACTORY_PASSWORD. */
	other: { resident: string; staff: string; trainer: string; doctor: string };
	otherResidentPerson: number;
	otherDoctorId: number;
};

const DAY = 24 * 60 * 60_000;
const one = async <T>(q: Promise<T | undefined>, what: string): Promise<T> => {
	const row = await q;
	if (row === undefined) throw new Error(`fixture: no ${what}`);
	return row;
};

export async function makeFixture(db: Kysely<Database>): Promise<Fixture> {
	await seedDemoData(db);
	const community = (code: string) =>
		one(db.selectFrom('community').select('id').where('code', '=', code).executeTakeFirst(), code).then((r) => r.id);
	const communityA = await community('dongmen');
	const communityB = await community('lixin');
	const account = (phone: string) =>
		one(db.selectFrom('account').select(['id', 'person_id']).where('login_phone', '=', phone).executeTakeFirst(), phone);
	const resident = await account(DEMO_LOGINS.resident);
	const actor = { accountId: resident.id, personId: resident.person_id };

	// A fitness space of community A, a session of its own for the resident and one for the offer.
	const square = await one(
		db.selectFrom('fitness_space').select(['id', 'checkin_code']).where('community_id', '=', communityA).orderBy('id').executeTakeFirst(),
		'space'
	);
	const fitnessSession = async (days: number, capacity: number) => {
		const occ = await createOccurrence(db, { communityId: communityA, startsAt: new Date(Date.now() + days * DAY), capacity });
		await db.insertInto('fitness_session').values({ occurrence_id: occ.id, space_id: square.id, series_id: null }).execute();
		return occ.id;
	};
	const fitnessOccurrence = await fitnessSession(3, 10);
	const booked = await reserve(db, { occurrenceId: fitnessOccurrence, personId: resident.person_id, actor });
	if (!booked.ok) throw new Error(`fixture: reservation ${booked.reason}`);
	// A session starting in half an hour at the same space: its check-in is open.
	const soon = await createOccurrence(db, { communityId: communityA, startsAt: new Date(Date.now() + 30 * 60_000), capacity: 10 });
	await db.insertInto('fitness_session').values({ occurrence_id: soon.id, space_id: square.id, series_id: null }).execute();
	const soonBooked = await reserve(db, { occurrenceId: soon.id, personId: resident.person_id, actor });
	if (!soonBooked.ok) throw new Error(`fixture: check-in reservation ${soonBooked.reason}`);
	const offerOccurrence = await fitnessSession(4, 10);
	const waiting = await reserve(db, { occurrenceId: offerOccurrence, personId: resident.person_id, actor });
	if (!waiting.ok) throw new Error(`fixture: offer ${waiting.reason}`);
	await db
		.updateTable('reservation')
		.set({ status: 'offered', offer_expires_at: new Date(Date.now() + 12 * 60 * 60_000) })
		.where('id', '=', waiting.reservationId)
		.execute();

	// An appointment with the demo doctor, two days ahead.
	const chen = await account(DEMO_LOGINS.doctor);
	const doctor = await one(
		db.selectFrom('doctor').select(['id', 'studio_id']).where('account_id', '=', chen.id).executeTakeFirst(),
		'doctor'
	);
	// The nearest free times two days ahead; the first that does not clash with the demo resident's own
	// bookings (which depend on the time of day the test runs) is booked, another is left free.
	const slots = await nearestFree(db, doctor.id, new Date(Date.now() + 2 * DAY), 12);
	let appointment: Awaited<ReturnType<typeof book>> | null = null;
	let bookedAt = -1;
	for (let i = 0; i < slots.length && !appointment?.ok; i++) {
		appointment = await book(db, {
			doctorId: doctor.id,
			start: slots[i]!.start,
			personId: resident.person_id,
			actor,
			service: 'consultation',
			reason: null
		});
		if (appointment.ok) bookedAt = i;
		else if (appointment.reason !== 'overlap') break;
	}
	// After the booked one: the times before it clashed with the resident's own bookings.
	const freeSlot = slots.find((_, i) => i > bookedAt);
	if (!freeSlot) throw new Error('fixture: no free slot');
	if (!appointment?.ok) throw new Error(`fixture: appointment ${appointment?.reason ?? 'no free slot'}`);
	// One weekly rule and one exception of the doctor's own, for the actions that remove them.
	const chenRecord = (await doctorRecord(db, doctor.id)) as DoctorRecord;
	const rule = await one(
		db.selectFrom('doctor_availability').select('id').where('doctor_id', '=', doctor.id).orderBy('id', 'desc').executeTakeFirst(),
		'rule'
	);
	const day = new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10);
	await addException(db, chenRecord, { day, kind: 'leave', startTime: null, endTime: null, slotMinutes: null, note: null });
	const exception = await one(
		db.selectFrom('doctor_exception').select('id').where('doctor_id', '=', doctor.id).orderBy('id', 'desc').executeTakeFirst(),
		'exception'
	);

	// A valid certificate of the resident, from a session the demo trainer gave in community A.
	const trainerAccount = await account(DEMO_LOGINS.trainer);
	const certificate = await one(
		db
			.selectFrom('certificate')
			.innerJoin('reservation', 'reservation.id', 'certificate.reservation_id')
			.innerJoin('training_session', 'training_session.occurrence_id', 'reservation.occurrence_id')
			.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
			.select([
				'certificate.id',
				'certificate.verification_code',
				'reservation.id as reservationId',
				'reservation.occurrence_id',
				'certificate.course_id'
			])
			.where('certificate.person_id', '=', resident.person_id)
			.where('certificate.revoked_at', 'is', null)
			.where('training_session.trainer_account_id', '=', trainerAccount.id)
			.where('occurrence.community_id', '=', communityA)
			.orderBy('certificate.id')
			.executeTakeFirst(),
		'certificate'
	);

	const member = await addMember(db, actor, { familyName: '王', givenName: '老伯', displayName: null, birthYear: 1940, phone: null });
	const memberLink = await one(
		db.selectFrom('household_link').select('id').where('member_person_id', '=', member).executeTakeFirst(),
		'household link'
	);
	const calendarSecret = await createFeed(db, resident.person_id);
	const notification = await one(
		db.selectFrom('notification').select('id').where('person_id', '=', resident.person_id).orderBy('id').executeTakeFirst(),
		'notification'
	);

	const series = await one(
		db.selectFrom('fitness_series').select('id').where('space_id', '=', square.id).orderBy('id').executeTakeFirst(),
		'series'
	);
	const staffSession = await fitnessSession(5, 10);

	const target = await createAccount(db, { communityId: communityA });
	const otherResident = await createAccount(db, { communityId: communityB });
	const otherStaff = await createAccount(db, { communityId: communityB, roles: ['resident', { role: 'staff', communityId: communityB }] });
	const otherTrainer = await createAccount(db, { communityId: communityB, roles: ['resident', 'trainer'] });
	const otherDoctor = await createAccount(db, { communityId: communityB, roles: ['resident', 'doctor'] });
	const studioB = await db
		.insertInto('doctor_studio')
		.values({
			community_id: communityB,
			name_zh: '立新社区家庭医生工作室',
			name_en: 'Lixin family doctor studio',
			address_zh: '立新路 1 号',
			address_en: '1 Lixin Road',
			directions_zh: null,
			directions_en: null,
			phone: '0755-0000 0200',
			step_free: true,
			created_at: new Date()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const otherDoctorRow = await db
		.insertInto('doctor')
		.values({
			account_id: otherDoctor.accountId,
			studio_id: studioB.id,
			title_zh: '全科医师',
			title_en: 'General practitioner',
			services: ['consultation'],
			created_at: new Date()
		})
		.returning('id')
		.executeTakeFirstOrThrow();

	// Trainer B's own session (community B): the address trainer B may post to, with A's ids in the form.
	const courseB = await createSession(
		db,
		{ accountId: null, roles: [{ role: 'staff', communityId: null }] },
		{
			courseId: certificate.course_id,
			communityId: communityB,
			date: addDays(today(), 10),
			startTime: '09:00',
			venueZh: '立新社区活动室',
			venueEn: 'Lixin activity room',
			trainerAccountId: otherTrainer.accountId,
			capacity: 10
		}
	);
	if (!courseB.ok) throw new Error(`fixture: session of trainer B ${courseB.reason}`);
	// Ended an hour ago, so that its attendance sheet is open: a refusal is then about the ids posted.
	await db
		.updateTable('occurrence')
		.set({ starts_at: new Date(Date.now() - 3 * 60 * 60_000), ends_at: new Date(Date.now() - 60 * 60_000) })
		.where('id', '=', courseB.occurrenceId)
		.execute();

	return {
		communityA,
		memberLink: memberLink.id,
		notification: notification.id,
		otherTrainerSession: courseB.occurrenceId,
		communityB,
		residentPerson: resident.person_id,
		residentAccount: resident.id,
		targetAccount: target.accountId,
		targetPerson: target.personId,
		fitnessOccurrence,
		fitnessReservation: booked.reservationId,
		checkinReservation: soonBooked.reservationId,
		offerReservation: waiting.reservationId,
		offerOccurrence,
		appointment: appointment.appointmentId,
		doctorId: doctor.id,
		freeSlot: freeSlot.start.toISOString(),
		doctorRule: rule.id,
		doctorException: exception.id,
		certificate: certificate.id,
		certificateCode: certificate.verification_code,
		trainingSession: certificate.occurrence_id,
		trainingReservation: certificate.reservationId,
		courseId: certificate.course_id,
		member,
		calendarSecret,
		space: square.id,
		spaceCode: square.checkin_code,
		series: series.id,
		staffSession,
		studio: doctor.studio_id,
		other: { resident: otherResident.login, staff: otherStaff.login, trainer: otherTrainer.login, doctor: otherDoctor.login },
		otherResidentPerson: otherResident.personId,
		otherDoctorId: otherDoctorRow.id
	};
}

/** A token that is well formed and belongs to nobody. */
export const strangerToken = () => randomBytes(20).toString('base64url');
