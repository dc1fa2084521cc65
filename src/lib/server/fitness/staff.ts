/** What staff see of the fitness spaces of their communities. */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { heldColumn } from '../booking/occurrences';
import { staffCovers, type Actor } from '../people/people';

export async function spaceForStaff(db: Kysely<Database>, actor: Actor, spaceId: number) {
	const row = await db.selectFrom('fitness_space').selectAll().where('id', '=', spaceId).executeTakeFirst();
	return row && staffCovers(actor, row.community_id) ? row : null;
}

export async function spacesForStaff(db: Kysely<Database>, actor: Actor, locale: Locale) {
	const rows = await db.selectFrom('fitness_space').selectAll().orderBy('community_id').orderBy('id').execute();
	return rows
		.filter((r) => staffCovers(actor, r.community_id))
		.map((r) => ({ id: r.id, communityId: r.community_id, name: locale === 'en' ? r.name_en : r.name_zh, capacity: r.capacity }));
}

export async function seriesOfSpace(db: Kysely<Database>, spaceId: number, locale: Locale) {
	const rows = await db
		.selectFrom('fitness_series')
		.selectAll()
		.where('space_id', '=', spaceId)
		.orderBy('weekday')
		.orderBy('start_time')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: locale === 'en' ? r.title_en : r.title_zh,
		kind: r.kind,
		weekday: r.weekday,
		startTime: r.start_time.slice(0, 5),
		endTime: r.end_time.slice(0, 5),
		validFrom: r.valid_from,
		validTo: r.valid_to,
		capacity: r.capacity,
		cancelled: r.cancelled_at !== null
	}));
}

/** The space's sessions from now on, soonest first, with the places held. */
export async function upcomingSessions(db: Kysely<Database>, spaceId: number, locale: Locale, limit = 40) {
	const rows = await db
		.selectFrom('fitness_session')
		.innerJoin('occurrence', 'occurrence.id', 'fitness_session.occurrence_id')
		.select((eb) => [
			'occurrence.id',
			'occurrence.title_zh',
			'occurrence.title_en',
			'occurrence.starts_at',
			'occurrence.ends_at',
			'occurrence.capacity',
			'occurrence.cancelled_at',
			heldColumn(eb)
		])
		.where('fitness_session.space_id', '=', spaceId)
		.where('occurrence.ends_at', '>', now())
		.orderBy('occurrence.starts_at')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: locale === 'en' ? r.title_en : r.title_zh,
		startsAt: r.starts_at.toISOString(),
		endsAt: r.ends_at.toISOString(),
		capacity: r.capacity,
		held: Number(r.held ?? 0),
		cancelled: r.cancelled_at !== null
	}));
}

/** One session of a space the staff member covers, or null (as if it did not exist). */
export async function sessionForStaff(db: Kysely<Database>, actor: Actor, occurrenceId: number) {
	const row = await db
		.selectFrom('fitness_session')
		.innerJoin('occurrence', 'occurrence.id', 'fitness_session.occurrence_id')
		.innerJoin('fitness_space', 'fitness_space.id', 'fitness_session.space_id')
		.select((eb) => [
			'occurrence.id',
			'occurrence.title_zh',
			'occurrence.title_en',
			'occurrence.starts_at',
			'occurrence.ends_at',
			'occurrence.capacity',
			'occurrence.cancelled_at',
			'fitness_space.id as space_id',
			'fitness_space.name_zh as space_zh',
			'fitness_space.name_en as space_en',
			'fitness_space.community_id',
			heldColumn(eb)
		])
		.where('occurrence.id', '=', occurrenceId)
		.executeTakeFirst();
	return row && staffCovers(actor, row.community_id) ? { ...row, held: Number(row.held ?? 0) } : null;
}

/** One series of a space the staff member covers, or null (as if it did not exist). */
export async function seriesForStaff(db: Kysely<Database>, actor: Actor, seriesId: number) {
	const row = await db
		.selectFrom('fitness_series')
		.innerJoin('fitness_space', 'fitness_space.id', 'fitness_series.space_id')
		.selectAll('fitness_series')
		.select(['fitness_space.community_id', 'fitness_space.name_zh as space_zh', 'fitness_space.name_en as space_en'])
		.where('fitness_series.id', '=', seriesId)
		.executeTakeFirst();
	return row && staffCovers(actor, row.community_id) ? row : null;
}
