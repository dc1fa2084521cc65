/**
 * The trainer's side of a session: the roster, attendance, and the assessment of each trainee per
 * practical skill (passed or failed, with a note). A trainer sees and changes only the sessions they
 * run; the checks are here, so that no route can forget them.
 */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import { now } from '../clock';
import type { Database } from '../db/schema';
import type { ReservationStatus } from '../booking/model';
import { transition } from '../booking/history';
import { skillsOf } from './courses';

/** Attendance opens an hour before the start and stays open for a week after the end (a paper sheet typed in later). */
export const ATTENDANCE_OPENS_MINUTES = 60;
export const ATTENDANCE_CLOSES_DAYS = 7;

type Own = { occurrenceId: number; courseId: number; startsAt: Date; endsAt: Date; cancelled: boolean; communityId: number | null };

/** The session when `trainerAccountId` runs it; null otherwise (as if it did not exist). */
export async function ownSession(db: Kysely<Database>, trainerAccountId: number, occurrenceId: number): Promise<Own | null> {
	const row = await db
		.selectFrom('training_session')
		.innerJoin('occurrence', 'occurrence.id', 'training_session.occurrence_id')
		.select([
			'occurrence.id',
			'training_session.course_id',
			'occurrence.starts_at',
			'occurrence.ends_at',
			'occurrence.cancelled_at',
			'occurrence.community_id'
		])
		.where('occurrence.id', '=', occurrenceId)
		.where('training_session.trainer_account_id', '=', trainerAccountId)
		.executeTakeFirst();
	if (!row) return null;
	return {
		occurrenceId: row.id,
		courseId: row.course_id,
		startsAt: row.starts_at,
		endsAt: row.ends_at,
		cancelled: row.cancelled_at !== null,
		communityId: row.community_id
	};
}

export type TraineeResult = { skillId: number; passed: boolean; note: string | null };

export type Trainee = {
	reservationId: number;
	familyName: string;
	givenName: string;
	phone: string | null;
	status: ReservationStatus;
	consent: boolean;
	results: TraineeResult[];
	/** Every current skill assessed and passed (what a certificate needs, with attendance). */
	passedAll: boolean;
};

/** Everyone enrolled or attending (not the waitlist, not cancellations), with their results. */
export async function trainees(db: Kysely<Database>, session: Own): Promise<Trainee[]> {
	const rows = await db
		.selectFrom('reservation')
		.innerJoin('person', 'person.id', 'reservation.person_id')
		.leftJoin('training_consent', 'training_consent.reservation_id', 'reservation.id')
		.select([
			'reservation.id',
			'reservation.status',
			'person.family_name',
			'person.given_name',
			'person.phone',
			'training_consent.id as consent_id'
		])
		.where('reservation.occurrence_id', '=', session.occurrenceId)
		.where('reservation.status', 'in', ['reserved', 'offered', 'attended', 'no_show'])
		.orderBy('person.family_name')
		.orderBy('person.given_name')
		.orderBy('reservation.id')
		.execute();
	const skills = await skillsOf(db, session.courseId);
	const results =
		rows.length === 0
			? []
			: await db
					.selectFrom('training_assessment')
					.select(['reservation_id', 'skill_id', 'passed', 'note'])
					.where(
						'reservation_id',
						'in',
						rows.map((r) => r.id)
					)
					.execute();
	return rows.map((r) => {
		const mine = results.filter((a) => a.reservation_id === r.id).map((a) => ({ skillId: a.skill_id, passed: a.passed, note: a.note }));
		return {
			reservationId: r.id,
			familyName: r.family_name,
			givenName: r.given_name,
			phone: r.phone,
			status: r.status as ReservationStatus,
			consent: r.consent_id !== null,
			results: mine,
			passedAll: skills.length > 0 && skills.every((s) => mine.some((m) => m.skillId === s.id && m.passed))
		};
	});
}

export type StepRefusal = 'not-found' | 'closed' | 'not-attended';

/** Whether attendance and results can be recorded now. */
export function attendanceOpen(session: Own): boolean {
	const at = now().getTime();
	return (
		!session.cancelled &&
		at >= session.startsAt.getTime() - ATTENDANCE_OPENS_MINUTES * 60_000 &&
		at <= session.endsAt.getTime() + ATTENDANCE_CLOSES_DAYS * 24 * 60 * 60_000
	);
}

/**
 * Takes attendance from the roster's ticks: ticked people are present, the others absent. Each
 * change is a booking-core status change (attended / no_show, or back to reserved before the end)
 * recorded with the trainer as its author. Returns how many changed.
 */
export async function recordAttendance(
	db: Kysely<Database>,
	trainerAccountId: number,
	occurrenceId: number,
	present: number[]
): Promise<{ ok: true; changed: number } | { ok: false; reason: StepRefusal }> {
	return db.transaction().execute(async (trx) => {
		const session = await ownSession(trx, trainerAccountId, occurrenceId);
		if (!session) return { ok: false as const, reason: 'not-found' as const };
		if (!attendanceOpen(session)) return { ok: false as const, reason: 'closed' as const };
		await trx.selectFrom('occurrence').select('id').where('id', '=', occurrenceId).forUpdate().execute();
		const lines = await trx
			.selectFrom('reservation')
			.select(['id', 'status'])
			.where('occurrence_id', '=', occurrenceId)
			.where('status', 'in', ['reserved', 'attended', 'no_show'])
			.forUpdate()
			.execute();
		const ticked = new Set(present);
		if (present.some((id) => !lines.some((l) => l.id === id))) return { ok: false as const, reason: 'not-found' as const };
		const ended = session.endsAt.getTime() <= now().getTime();
		let changed = 0;
		for (const line of lines) {
			const from = line.status as ReservationStatus;
			const to: ReservationStatus = ticked.has(line.id) ? 'attended' : ended ? 'no_show' : 'reserved';
			if (from === to) continue;
			await transition(trx, line.id, from, to, trainerAccountId, 'attendance_by_trainer', {
				checked_in_at: to === 'attended' ? now() : null
			});
			changed++;
		}
		await audit(trx, {
			actorAccountId: trainerAccountId,
			action: 'training_session.attendance',
			subjectType: 'occurrence',
			subjectId: occurrenceId,
			communityId: session.communityId,
			details: { changed }
		});
		return { ok: true as const, changed };
	});
}

export type AssessmentInput = { skillId: number; passed: boolean; note: string | null }[];

/**
 * Records a trainee's results: each skill of the course signed off as passed or failed. Only for the
 * session's own trainer, only for a trainee who attended, only skills of that course.
 */
export async function recordAssessment(
	db: Kysely<Database>,
	trainerAccountId: number,
	input: { occurrenceId: number; reservationId: number; results: AssessmentInput }
): Promise<{ ok: true } | { ok: false; reason: StepRefusal | 'unknown-skill' }> {
	return db.transaction().execute(async (trx) => {
		const session = await ownSession(trx, trainerAccountId, input.occurrenceId);
		if (!session) return { ok: false as const, reason: 'not-found' as const };
		if (!attendanceOpen(session)) return { ok: false as const, reason: 'closed' as const };
		const r = await trx
			.selectFrom('reservation')
			.select(['id', 'status'])
			.where('id', '=', input.reservationId)
			.where('occurrence_id', '=', input.occurrenceId)
			.forUpdate()
			.executeTakeFirst();
		if (!r) return { ok: false as const, reason: 'not-found' as const };
		if (r.status !== 'attended') return { ok: false as const, reason: 'not-attended' as const };
		const skills = await skillsOf(trx, session.courseId);
		if (input.results.some((x) => !skills.some((s) => s.id === x.skillId))) return { ok: false as const, reason: 'unknown-skill' as const };
		const at = now();
		for (const result of input.results) {
			await trx
				.insertInto('training_assessment')
				.values({
					reservation_id: r.id,
					skill_id: result.skillId,
					passed: result.passed,
					note: result.note,
					assessed_by: trainerAccountId,
					assessed_at: at
				})
				.onConflict((oc) =>
					oc.columns(['reservation_id', 'skill_id']).doUpdateSet({
						passed: result.passed,
						note: result.note,
						assessed_by: trainerAccountId,
						assessed_at: at
					})
				)
				.execute();
		}
		await audit(trx, {
			actorAccountId: trainerAccountId,
			action: 'training.assess',
			subjectType: 'reservation',
			subjectId: r.id,
			communityId: session.communityId,
			details: { skills: input.results.length, passed: input.results.filter((x) => x.passed).length }
		});
		return { ok: true as const };
	});
}

/** The skills of a session's course in the reader's language, for the assessment form. */
export async function skillLabels(db: Kysely<Database>, courseId: number, locale: Locale): Promise<{ id: number; name: string }[]> {
	return (await skillsOf(db, courseId)).map((s) => ({ id: s.id, name: locale === 'en' ? s.nameEn : s.nameZh }));
}
