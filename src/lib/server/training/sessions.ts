/**
 * Training sessions. Each is a booking-core occurrence (programme 'training'), so enrolment, the
 * waitlist, offers, reminders and check-in are the core's; this module adds the course, the venue
 * and the trainer, and calls sessions off. Open / full / done are derived, never stored.
 */
import { sql, type Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import { holds, scopeOf, type RoleGrant } from '../auth/roles';
import { now, shanghaiInstant } from '../clock';
import type { Database } from '../db/schema';
import { HOLDING } from '../booking/model';
import { cancelOccurrence, offerFreedPlaces } from '../booking/reservations';
import { staffCovers, type Actor } from '../people/people';

export type SessionInput = {
	courseId: number;
	communityId: number;
	date: string;
	startTime: string;
	venueZh: string;
	venueEn: string;
	trainerAccountId: number;
	capacity: number;
};

export type SessionResult =
	{ ok: true; occurrenceId: number } | { ok: false; reason: 'out-of-scope' | 'no-course' | 'no-trainer' | 'in-past' | 'unknown-community' };

async function isTrainer(db: Kysely<Database>, accountId: number): Promise<boolean> {
	const grants = await db
		.selectFrom('account_role')
		.innerJoin('account', 'account.id', 'account_role.account_id')
		.select(['account_role.role', 'account_role.community_id'])
		.where('account_role.account_id', '=', accountId)
		.where('account.disabled_at', 'is', null)
		.execute();
	return holds(
		grants.map((g) => ({ role: g.role, communityId: g.community_id }) as RoleGrant),
		'trainer'
	);
}

/** A new session of a course in one of the staff member's communities; it ends after the course's duration. */
export async function createSession(db: Kysely<Database>, actor: Actor, input: SessionInput): Promise<SessionResult> {
	if (!staffCovers(actor, input.communityId)) return { ok: false, reason: 'out-of-scope' };
	return db.transaction().execute(async (trx): Promise<SessionResult> => {
		const community = await trx.selectFrom('community').select('id').where('id', '=', input.communityId).executeTakeFirst();
		if (!community) return { ok: false, reason: 'unknown-community' };
		const course = await trx.selectFrom('training_course').selectAll().where('id', '=', input.courseId).executeTakeFirst();
		if (!course) return { ok: false, reason: 'no-course' };
		if (!(await isTrainer(trx, input.trainerAccountId))) return { ok: false, reason: 'no-trainer' };
		const startsAt = shanghaiInstant(input.date, input.startTime);
		if (startsAt.getTime() <= now().getTime()) return { ok: false, reason: 'in-past' };
		const occurrence = await trx
			.insertInto('occurrence')
			.values({
				programme: 'training',
				community_id: input.communityId,
				title_zh: course.title_zh,
				title_en: course.title_en,
				location_zh: input.venueZh,
				location_en: input.venueEn,
				starts_at: startsAt,
				ends_at: new Date(startsAt.getTime() + course.duration_minutes * 60_000),
				capacity: input.capacity,
				created_at: now()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.insertInto('training_session')
			.values({
				occurrence_id: occurrence.id,
				course_id: course.id,
				trainer_account_id: input.trainerAccountId,
				venue_zh: input.venueZh,
				venue_en: input.venueEn,
				created_by: actor.accountId
			})
			.execute();
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'training_session.create',
			subjectType: 'occurrence',
			subjectId: occurrence.id,
			communityId: input.communityId
		});
		return { ok: true, occurrenceId: occurrence.id };
	});
}

/** Calls a session off: everyone enrolled, offered a place or waiting is told once (by the core). */
export async function cancelSession(
	db: Kysely<Database>,
	actor: Actor,
	occurrenceId: number
): Promise<{ ok: true; people: number } | { ok: false; reason: 'out-of-scope' | 'not-found' }> {
	return db.transaction().execute(async (trx) => {
		const session = await trx
			.selectFrom('training_session')
			.innerJoin('occurrence', 'occurrence.id', 'training_session.occurrence_id')
			.select('occurrence.community_id')
			.where('training_session.occurrence_id', '=', occurrenceId)
			.executeTakeFirst();
		if (!session) return { ok: false as const, reason: 'not-found' as const };
		if (!staffCovers(actor, session.community_id)) return { ok: false as const, reason: 'out-of-scope' as const };
		const people = await cancelOccurrence(trx, occurrenceId, actor.accountId, 'training_cancelled');
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'training_session.cancel',
			subjectType: 'occurrence',
			subjectId: occurrenceId,
			communityId: session.community_id
		});
		return { ok: true as const, people: people.length };
	});
}

export type SessionChange = { venueZh: string; venueEn: string; trainerAccountId: number; capacity: number };

export type SessionChangeResult =
	| { ok: true; offered: number }
	| { ok: false; reason: 'not-found' | 'out-of-scope' | 'closed' | 'no-trainer' }
	| { ok: false; reason: 'below-held'; held: number };

/**
 * Changes a session's venue, trainer or number of places before it starts. Places never drop below
 * those already held; more places go to the waiting list at once (offers, as the core makes them).
 */
export async function updateSession(
	db: Kysely<Database>,
	actor: Actor,
	occurrenceId: number,
	change: SessionChange
): Promise<SessionChangeResult> {
	return db.transaction().execute(async (trx): Promise<SessionChangeResult> => {
		const occ = await trx
			.selectFrom('occurrence')
			.innerJoin('training_session', 'training_session.occurrence_id', 'occurrence.id')
			.select(['occurrence.id', 'occurrence.community_id', 'occurrence.starts_at', 'occurrence.cancelled_at', 'occurrence.capacity'])
			.where('occurrence.id', '=', occurrenceId)
			.forUpdate()
			.executeTakeFirst();
		if (!occ) return { ok: false, reason: 'not-found' };
		if (!staffCovers(actor, occ.community_id)) return { ok: false, reason: 'out-of-scope' };
		if (occ.cancelled_at || occ.starts_at.getTime() <= now().getTime()) return { ok: false, reason: 'closed' };
		if (!(await isTrainer(trx, change.trainerAccountId))) return { ok: false, reason: 'no-trainer' };
		const held = await trx
			.selectFrom('reservation')
			.select(({ fn }) => fn.countAll<number>().as('n'))
			.where('occurrence_id', '=', occurrenceId)
			.where('status', 'in', HOLDING)
			.executeTakeFirstOrThrow();
		if (change.capacity < Number(held.n)) return { ok: false, reason: 'below-held', held: Number(held.n) };
		await trx
			.updateTable('occurrence')
			.set({ capacity: change.capacity, location_zh: change.venueZh, location_en: change.venueEn })
			.where('id', '=', occurrenceId)
			.execute();
		await trx
			.updateTable('training_session')
			.set({ venue_zh: change.venueZh, venue_en: change.venueEn, trainer_account_id: change.trainerAccountId })
			.where('occurrence_id', '=', occurrenceId)
			.execute();
		const offered = change.capacity > occ.capacity ? await offerFreedPlaces(trx, occurrenceId) : [];
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'training_session.update',
			subjectType: 'occurrence',
			subjectId: occurrenceId,
			communityId: occ.community_id,
			details: { capacity: change.capacity, offered: offered.length }
		});
		return { ok: true, offered: offered.length };
	});
}

/** What the change form starts from. */
export async function sessionChangeValues(db: Kysely<Database>, occurrenceId: number): Promise<Record<string, string> | null> {
	const row = await db
		.selectFrom('training_session')
		.innerJoin('occurrence', 'occurrence.id', 'training_session.occurrence_id')
		.select(['training_session.venue_zh', 'training_session.venue_en', 'training_session.trainer_account_id', 'occurrence.capacity'])
		.where('occurrence.id', '=', occurrenceId)
		.executeTakeFirst();
	if (!row) return null;
	return {
		venueZh: row.venue_zh,
		venueEn: row.venue_en,
		trainerAccountId: String(row.trainer_account_id),
		capacity: String(row.capacity)
	};
}

export type SessionState = 'open' | 'full' | 'done' | 'cancelled';

export type SessionView = {
	occurrenceId: number;
	courseId: number;
	course: string;
	communityId: number | null;
	community: string | null;
	venue: string;
	trainer: string;
	trainerAccountId: number;
	startsAt: Date;
	endsAt: Date;
	capacity: number;
	placesLeft: number;
	waiting: number;
	state: SessionState;
};

function sessionQuery(db: Kysely<Database>) {
	return db
		.selectFrom('training_session as s')
		.innerJoin('occurrence as o', 'o.id', 's.occurrence_id')
		.innerJoin('training_course as c', 'c.id', 's.course_id')
		.innerJoin('account as ta', 'ta.id', 's.trainer_account_id')
		.innerJoin('person as tp', 'tp.id', 'ta.person_id')
		.leftJoin('community as cm', 'cm.id', 'o.community_id')
		.select((eb) => [
			'o.id',
			's.course_id',
			'c.title_zh',
			'c.title_en',
			'o.community_id',
			'cm.name_zh as community_zh',
			'cm.name_en as community_en',
			's.venue_zh',
			's.venue_en',
			's.trainer_account_id',
			'tp.family_name as trainer_family',
			'tp.given_name as trainer_given',
			'o.starts_at',
			'o.ends_at',
			'o.capacity',
			'o.cancelled_at',
			eb
				.selectFrom('reservation')
				.select(({ fn }) => fn.countAll<number>().as('n'))
				.whereRef('reservation.occurrence_id', '=', 'o.id')
				.where('reservation.status', 'in', HOLDING)
				.as('held'),
			eb
				.selectFrom('reservation')
				.select(({ fn }) => fn.countAll<number>().as('n'))
				.whereRef('reservation.occurrence_id', '=', 'o.id')
				.where('reservation.status', '=', 'waitlisted')
				.as('waiting')
		]);
}

type SessionRow = Awaited<ReturnType<ReturnType<typeof sessionQuery>['execute']>>[number];

function toView(r: SessionRow, locale: Locale): SessionView {
	const en = locale === 'en';
	const placesLeft = Math.max(0, r.capacity - Number(r.held ?? 0));
	const state: SessionState = r.cancelled_at
		? 'cancelled'
		: r.starts_at.getTime() <= now().getTime()
			? 'done'
			: placesLeft === 0
				? 'full'
				: 'open';
	return {
		occurrenceId: r.id,
		courseId: r.course_id,
		course: en ? r.title_en : r.title_zh,
		communityId: r.community_id,
		community: (en ? r.community_en : r.community_zh) ?? null,
		venue: en ? r.venue_en : r.venue_zh,
		trainer: `${r.trainer_family}${r.trainer_given}`,
		trainerAccountId: r.trainer_account_id,
		startsAt: r.starts_at,
		endsAt: r.ends_at,
		capacity: r.capacity,
		placesLeft,
		waiting: Number(r.waiting ?? 0),
		state
	};
}

/** Sessions not yet started and not cancelled, for everyone (never who enrolled). */
export async function upcomingSessions(
	db: Kysely<Database>,
	locale: Locale,
	filter: { communityId?: number; courseId?: number; limit?: number } = {}
): Promise<SessionView[]> {
	let query = sessionQuery(db).where('o.starts_at', '>', now()).where('o.cancelled_at', 'is', null);
	if (filter.communityId) query = query.where('o.community_id', '=', filter.communityId);
	if (filter.courseId) query = query.where('s.course_id', '=', filter.courseId);
	const rows = await query
		.orderBy('o.starts_at')
		.orderBy('o.id')
		.limit(filter.limit ?? 200)
		.execute();
	return rows.map((r) => toView(r, locale));
}

/** Sessions of the staff member's communities, from a week ago on. */
export async function sessionsForStaff(db: Kysely<Database>, actor: Actor, locale: Locale): Promise<SessionView[]> {
	const scope = scopeOf(actor.roles, 'staff');
	if (scope !== 'all' && scope.length === 0) return [];
	let query = sessionQuery(db).where('o.ends_at', '>', sql<Date>`${now()}::timestamptz - interval '30 days'`);
	if (scope !== 'all') query = query.where('o.community_id', 'in', scope);
	const rows = await query.orderBy('o.starts_at').orderBy('o.id').limit(500).execute();
	return rows.map((r) => toView(r, locale));
}

/** One session, for anyone allowed to look (the caller checks who may see what of it). */
export async function sessionView(db: Kysely<Database>, occurrenceId: number, locale: Locale): Promise<SessionView | null> {
	const row = await sessionQuery(db).where('o.id', '=', occurrenceId).executeTakeFirst();
	return row ? toView(row, locale) : null;
}

/** A trainer's own sessions, recent and coming. */
export async function sessionsOfTrainer(db: Kysely<Database>, trainerAccountId: number, locale: Locale): Promise<SessionView[]> {
	const rows = await sessionQuery(db)
		.where('s.trainer_account_id', '=', trainerAccountId)
		.where('o.ends_at', '>', sql<Date>`${now()}::timestamptz - interval '60 days'`)
		.orderBy('o.starts_at')
		.orderBy('o.id')
		.execute();
	return rows.map((r) => toView(r, locale));
}

/** The accounts that hold the trainer role, for the session form. */
export async function trainerOptions(db: Kysely<Database>): Promise<{ value: string; label: string }[]> {
	const rows = await db
		.selectFrom('account_role')
		.innerJoin('account', 'account.id', 'account_role.account_id')
		.innerJoin('person', 'person.id', 'account.person_id')
		.select(['account.id', 'person.family_name', 'person.given_name'])
		.where('account_role.role', '=', 'trainer')
		.where('account.disabled_at', 'is', null)
		.distinct()
		.orderBy('person.family_name')
		.orderBy('person.given_name')
		.orderBy('account.id')
		.execute();
	return rows.map((r) => ({ value: String(r.id), label: `${r.family_name}${r.given_name}` }));
}

/** A session as a page's data: dates as ISO strings. */
export function sessionJson(s: SessionView) {
	return { ...s, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() };
}
