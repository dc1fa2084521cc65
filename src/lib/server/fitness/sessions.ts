/**
 * Weekly series of fitness sessions, closures, and the public timetable. Each session is a
 * booking-core occurrence (programme 'fitness'), so reserving, the waitlist, reminders and check-in
 * are the core's; this module only says when sessions happen and calls them off.
 */
import { sql, type Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import { addDays, isoWeekday, now, shanghaiDate, shanghaiInstant } from '../clock';
import type { Database } from '../db/schema';
import { heldColumn } from '../booking/occurrences';
import { cancelOccurrence, changeOccurrence, type ChangeResult } from '../booking/reservations';
import { isExclusionViolation } from '../db/errors';
import { notify } from '../notifications/notify';
import { staffCovers, type Actor } from '../people/people';

export type SeriesInput = {
	spaceId: number;
	kind: 'group' | 'open';
	titleZh: string;
	titleEn: string;
	instructor: string | null;
	capacity: number;
	weekday: number;
	startTime: string;
	endTime: string;
	validFrom: string;
	validTo: string;
};

export type SeriesResult =
	{ ok: true; seriesId: number; sessions: number } | { ok: false; reason: 'out-of-scope' | 'not-found' | 'too-long' };

async function spaceFor(trx: Kysely<Database>, actor: Actor, spaceId: number) {
	const space = await trx.selectFrom('fitness_space').selectAll().where('id', '=', spaceId).executeTakeFirst();
	if (!space) return { ok: false as const, reason: 'not-found' as const };
	if (!staffCovers(actor, space.community_id)) return { ok: false as const, reason: 'out-of-scope' as const };
	return { ok: true as const, space };
}

/** Creates a series and one session per week from its first to its last day (at most a year). */
export async function createSeries(db: Kysely<Database>, actor: Actor, input: SeriesInput): Promise<SeriesResult> {
	if (addDays(input.validFrom, 366) < input.validTo) return { ok: false, reason: 'too-long' };
	return db.transaction().execute(async (trx): Promise<SeriesResult> => {
		const found = await spaceFor(trx, actor, input.spaceId);
		if (!found.ok) return found;
		const { space } = found;
		const at = now();
		const series = await trx
			.insertInto('fitness_series')
			.values({
				space_id: space.id,
				kind: input.kind,
				title_zh: input.titleZh,
				title_en: input.titleEn,
				instructor: input.instructor,
				capacity: input.capacity,
				weekday: input.weekday,
				start_time: input.startTime,
				end_time: input.endTime,
				valid_from: input.validFrom,
				valid_to: input.validTo,
				created_at: at
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		let day = addDays(input.validFrom, (input.weekday - isoWeekday(input.validFrom) + 7) % 7);
		let count = 0;
		for (; day <= input.validTo; day = addDays(day, 7)) {
			const occurrence = await trx
				.insertInto('occurrence')
				.values({
					programme: 'fitness',
					community_id: space.community_id,
					title_zh: input.titleZh,
					title_en: input.titleEn,
					location_zh: `${space.name_zh}（${space.address_zh}）`,
					location_en: `${space.name_en} (${space.address_en})`,
					starts_at: shanghaiInstant(day, input.startTime),
					ends_at: shanghaiInstant(day, input.endTime),
					capacity: input.capacity,
					created_at: at
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx.insertInto('fitness_session').values({ occurrence_id: occurrence.id, space_id: space.id, series_id: series.id }).execute();
			count++;
		}
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'fitness_series.create',
			subjectType: 'fitness_series',
			subjectId: series.id,
			communityId: space.community_id,
			details: { sessions: count }
		});
		return { ok: true, seriesId: series.id, sessions: count };
	});
}

/** Calls off one session; the people booked are told by the booking core. */
export async function cancelSession(
	db: Kysely<Database>,
	actor: Actor,
	occurrenceId: number
): Promise<{ ok: true; people: number } | { ok: false; reason: 'out-of-scope' | 'not-found' }> {
	return db.transaction().execute(async (trx) => {
		const session = await trx.selectFrom('fitness_session').select('space_id').where('occurrence_id', '=', occurrenceId).executeTakeFirst();
		if (!session) return { ok: false as const, reason: 'not-found' as const };
		const found = await spaceFor(trx, actor, session.space_id);
		if (!found.ok) return found;
		const people = await cancelOccurrence(trx, occurrenceId, actor.accountId, 'session_cancelled');
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'fitness_session.cancel',
			subjectType: 'occurrence',
			subjectId: occurrenceId,
			communityId: found.space.community_id
		});
		return { ok: true as const, people: people.length };
	});
}

export type SessionChange = { date: string; startTime: string; endTime: string; capacity: number };

/**
 * Moves one session of a series, or changes its places, leaving the rest of the series as it is.
 * Those booked keep their places and are told of a new time once each (the booking core does it).
 */
export async function editSession(
	db: Kysely<Database>,
	actor: Actor,
	occurrenceId: number,
	change: SessionChange
): Promise<ChangeResult | { ok: false; reason: 'out-of-scope' }> {
	return db
		.transaction()
		.execute(async (trx) => {
			const session = await trx
				.selectFrom('fitness_session')
				.select('space_id')
				.where('occurrence_id', '=', occurrenceId)
				.executeTakeFirst();
			if (!session) return { ok: false as const, reason: 'not-found' as const };
			const found = await spaceFor(trx, actor, session.space_id);
			if (!found.ok) return found;
			const result = await changeOccurrence(
				trx,
				occurrenceId,
				{
					startsAt: shanghaiInstant(change.date, change.startTime),
					endsAt: shanghaiInstant(change.date, change.endTime),
					capacity: change.capacity
				},
				actor.accountId
			);
			if (result.ok)
				await audit(trx, {
					actorAccountId: actor.accountId,
					action: 'fitness_session.edit',
					subjectType: 'occurrence',
					subjectId: occurrenceId,
					communityId: found.space.community_id,
					details: { ...change, moved: result.moved }
				});
			return result;
		})
		.catch(movedIntoClash);
}

export type SeriesChange = {
	titleZh: string;
	titleEn: string;
	instructor: string | null;
	capacity: number;
	startTime: string;
	endTime: string;
};

export type SeriesChangeResult =
	| { ok: true; sessions: number; moved: number }
	| { ok: false; reason: 'out-of-scope' | 'not-found' | 'cancelled' }
	| { ok: false; reason: 'below-held'; held: number; date: string }
	| { ok: false; reason: 'clashes'; clashes: number; date: string };

/**
 * Changes the rest of a series: names, instructor, places and time of day of every session not yet
 * started (the weekday and dates stay; for another day, call the series off and make a new one).
 * All or nothing: one session that cannot change (too many booked, a clash) refuses the whole edit.
 */
export async function editSeries(db: Kysely<Database>, actor: Actor, seriesId: number, change: SeriesChange): Promise<SeriesChangeResult> {
	try {
		return await db.transaction().execute(async (trx): Promise<SeriesChangeResult> => {
			const series = await trx.selectFrom('fitness_series').selectAll().where('id', '=', seriesId).forUpdate().executeTakeFirst();
			if (!series) return { ok: false, reason: 'not-found' };
			const found = await spaceFor(trx, actor, series.space_id);
			if (!found.ok) return found;
			if (series.cancelled_at) return { ok: false, reason: 'cancelled' };
			const future = await trx
				.selectFrom('fitness_session')
				.innerJoin('occurrence', 'occurrence.id', 'fitness_session.occurrence_id')
				.select(['occurrence.id', 'occurrence.starts_at'])
				.where('fitness_session.series_id', '=', seriesId)
				.where('occurrence.starts_at', '>', now())
				.where('occurrence.cancelled_at', 'is', null)
				.orderBy('occurrence.starts_at')
				.execute();
			let moved = 0;
			for (const o of future) {
				const date = shanghaiDate(o.starts_at);
				const result = await changeOccurrence(
					trx,
					o.id,
					{ startsAt: shanghaiInstant(date, change.startTime), endsAt: shanghaiInstant(date, change.endTime), capacity: change.capacity },
					actor.accountId
				);
				if (!result.ok) {
					// Undo what the earlier sessions already changed (and the notices they queued).
					if (result.reason === 'below-held') throw new Refused({ ok: false, reason: 'below-held', held: result.held, date });
					if (result.reason === 'clashes') throw new Refused({ ok: false, reason: 'clashes', clashes: result.clashes, date });
					continue; // started or cancelled meanwhile: nothing to change
				}
				moved += result.moved;
			}
			if (future.length)
				await trx
					.updateTable('occurrence')
					.set({ title_zh: change.titleZh, title_en: change.titleEn })
					.where(
						'id',
						'in',
						future.map((o) => o.id)
					)
					.execute();
			await trx
				.updateTable('fitness_series')
				.set({
					title_zh: change.titleZh,
					title_en: change.titleEn,
					instructor: change.instructor,
					capacity: change.capacity,
					start_time: change.startTime,
					end_time: change.endTime
				})
				.where('id', '=', seriesId)
				.execute();
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: 'fitness_series.edit',
				subjectType: 'fitness_series',
				subjectId: seriesId,
				communityId: found.space.community_id,
				details: { sessions: future.length, moved }
			});
			return { ok: true, sessions: future.length, moved };
		});
	} catch (error) {
		if (error instanceof Refused) return error.result;
		return movedIntoClash(error);
	}
}

/**
 * Someone booked took another place at the new time between the check and the move: the exclusion
 * constraint refused the move, and the whole change rolled back.
 */
function movedIntoClash(error: unknown): { ok: false; reason: 'clashes'; clashes: number; date: string } {
	if (isExclusionViolation(error, 'reservation_no_overlap')) return { ok: false, reason: 'clashes', clashes: 1, date: '' };
	throw error;
}

/** Rolls the series edit back with the answer to give. */
class Refused extends Error {
	constructor(readonly result: SeriesChangeResult) {
		super('series change refused');
	}
}

/** Calls off the rest of a series (sessions not yet started); each person hears once per session. */
export async function cancelSeries(
	db: Kysely<Database>,
	actor: Actor,
	seriesId: number
): Promise<{ ok: true; sessions: number } | { ok: false; reason: 'out-of-scope' | 'not-found' }> {
	return db.transaction().execute(async (trx) => {
		const series = await trx.selectFrom('fitness_series').select(['space_id']).where('id', '=', seriesId).forUpdate().executeTakeFirst();
		if (!series) return { ok: false as const, reason: 'not-found' as const };
		const found = await spaceFor(trx, actor, series.space_id);
		if (!found.ok) return found;
		const future = await trx
			.selectFrom('fitness_session')
			.innerJoin('occurrence', 'occurrence.id', 'fitness_session.occurrence_id')
			.select('occurrence.id')
			.where('fitness_session.series_id', '=', seriesId)
			.where('occurrence.starts_at', '>', now())
			.where('occurrence.cancelled_at', 'is', null)
			.orderBy('occurrence.starts_at')
			.execute();
		for (const o of future) await cancelOccurrence(trx, o.id, actor.accountId, 'series_cancelled');
		await trx.updateTable('fitness_series').set({ cancelled_at: now() }).where('id', '=', seriesId).execute();
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'fitness_series.cancel',
			subjectType: 'fitness_series',
			subjectId: seriesId,
			communityId: found.space.community_id
		});
		return { ok: true as const, sessions: future.length };
	});
}

export type ClosureInput = { spaceId: number; startsAt: Date; endsAt: Date; reasonZh: string; reasonEn: string };

/**
 * Closes a space for a while (maintenance, weather): every session it hits is called off, and each
 * person affected gets one notice about the closure, however many of their sessions it hits.
 */
export async function closeSpace(
	db: Kysely<Database>,
	actor: Actor,
	input: ClosureInput
): Promise<{ ok: true; sessions: number; people: number } | { ok: false; reason: 'out-of-scope' | 'not-found' }> {
	return db.transaction().execute(async (trx) => {
		const found = await spaceFor(trx, actor, input.spaceId);
		if (!found.ok) return found;
		const { space } = found;
		const closure = await trx
			.insertInto('fitness_closure')
			.values({
				space_id: space.id,
				starts_at: input.startsAt,
				ends_at: input.endsAt,
				reason_zh: input.reasonZh,
				reason_en: input.reasonEn,
				created_by: actor.accountId,
				created_at: now()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const hit = await trx
			.selectFrom('fitness_session')
			.innerJoin('occurrence', 'occurrence.id', 'fitness_session.occurrence_id')
			.select('occurrence.id')
			.where('fitness_session.space_id', '=', space.id)
			.where('occurrence.cancelled_at', 'is', null)
			.where('occurrence.starts_at', '<', input.endsAt)
			.where('occurrence.ends_at', '>', input.startsAt)
			.execute();
		const people = new Set<number>();
		for (const o of hit)
			for (const p of await cancelOccurrence(trx, o.id, actor.accountId, 'space_closed', { notify: false })) people.add(p);
		for (const personId of people) {
			await notify(trx, {
				personId,
				kind: 'fitness_closure',
				params: {
					space_zh: space.name_zh,
					space_en: space.name_en,
					from: input.startsAt.toISOString(),
					to: input.endsAt.toISOString(),
					reason_zh: input.reasonZh,
					reason_en: input.reasonEn
				},
				link: '/me/reservations'
			});
		}
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'fitness_space.close',
			subjectType: 'fitness_closure',
			subjectId: closure.id,
			communityId: space.community_id,
			details: { sessions: hit.length, people: people.size }
		});
		return { ok: true as const, sessions: hit.length, people: people.size };
	});
}

export type TimetableEntry = {
	occurrenceId: number;
	spaceId: number;
	space: string;
	title: string;
	kind: 'group' | 'open';
	instructor: string | null;
	startsAt: Date;
	endsAt: Date;
	capacity: number;
	placesLeft: number;
	cancelled: boolean;
	started: boolean;
};

/** A week of sessions from Monday `weekStart`, optionally of one community or one space. Never who booked. */
export async function timetable(
	db: Kysely<Database>,
	locale: Locale,
	filter: { weekStart: string; communityId?: number; spaceId?: number }
): Promise<TimetableEntry[]> {
	let query = db
		.selectFrom('fitness_session')
		.innerJoin('occurrence', 'occurrence.id', 'fitness_session.occurrence_id')
		.innerJoin('fitness_space', 'fitness_space.id', 'fitness_session.space_id')
		.leftJoin('fitness_series', 'fitness_series.id', 'fitness_session.series_id')
		.select((eb) => [
			'occurrence.id',
			'fitness_space.id as space_id',
			'fitness_space.name_zh',
			'fitness_space.name_en',
			'occurrence.title_zh',
			'occurrence.title_en',
			'fitness_series.kind',
			'fitness_series.instructor',
			'occurrence.starts_at',
			'occurrence.ends_at',
			'occurrence.capacity',
			'occurrence.cancelled_at',
			heldColumn(eb)
		])
		.where('occurrence.starts_at', '>=', shanghaiInstant(filter.weekStart))
		.where('occurrence.starts_at', '<', shanghaiInstant(addDays(filter.weekStart, 7)));
	if (filter.communityId) query = query.where('fitness_space.community_id', '=', filter.communityId);
	if (filter.spaceId) query = query.where('fitness_space.id', '=', filter.spaceId);
	const rows = await query
		.orderBy('occurrence.starts_at')
		.orderBy(sql`fitness_space.id`)
		.execute();
	const en = locale === 'en';
	return rows.map((r) => ({
		occurrenceId: r.id,
		spaceId: r.space_id,
		space: en ? r.name_en : r.name_zh,
		title: en ? r.title_en : r.title_zh,
		kind: r.kind === 'open' ? 'open' : 'group',
		instructor: r.instructor,
		startsAt: r.starts_at,
		endsAt: r.ends_at,
		capacity: r.capacity,
		placesLeft: Math.max(0, r.capacity - Number(r.held ?? 0)),
		cancelled: r.cancelled_at !== null,
		started: r.starts_at.getTime() <= now().getTime()
	}));
}
