/** Occurrences as the public sees them: when, where, and how many places are left (derived). */
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import type { Database } from '../db/schema';
import { HOLDING, type Programme } from './model';
import { programmeRules } from './reservations';

/** The places an occurrence's reservations hold (the statuses the capacity trigger counts), as column `held`. */
export function heldColumn(eb: ExpressionBuilder<Database, 'occurrence'>) {
	return eb
		.selectFrom('reservation')
		.select(({ fn }) => fn.countAll<number>().as('n'))
		.whereRef('reservation.occurrence_id', '=', 'occurrence.id')
		.where('reservation.status', 'in', HOLDING)
		.as('held');
}

export type OccurrenceView = {
	id: number;
	programme: Programme;
	communityId: number | null;
	title: string;
	location: string | null;
	startsAt: Date;
	endsAt: Date;
	capacity: number;
	placesLeft: number;
	cancelled: boolean;
	waitlist: boolean;
};

export async function occurrenceView(db: Kysely<Database>, id: number, locale: Locale): Promise<OccurrenceView | null> {
	const row = await db
		.selectFrom('occurrence')
		.select((eb) => [
			'id',
			'programme',
			'community_id',
			'title_zh',
			'title_en',
			'location_zh',
			'location_en',
			'starts_at',
			'ends_at',
			'capacity',
			'cancelled_at',
			heldColumn(eb)
		])
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	const rules = await programmeRules(db, row.programme as Programme);
	return {
		id: row.id,
		programme: row.programme as Programme,
		communityId: row.community_id,
		title: locale === 'en' ? row.title_en : row.title_zh,
		location: (locale === 'en' ? row.location_en : row.location_zh) ?? null,
		startsAt: row.starts_at,
		endsAt: row.ends_at,
		capacity: row.capacity,
		placesLeft: Math.max(0, row.capacity - Number(row.held ?? 0)),
		cancelled: row.cancelled_at !== null,
		waitlist: rules.waitlist
	};
}
