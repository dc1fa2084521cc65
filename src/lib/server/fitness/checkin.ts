/**
 * The permanent QR poster at each space: scanning it checks the signed-in resident in to their
 * reservation at that space that is on now (from an hour before the start until the end).
 */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { CHECK_IN_OPENS_MINUTES } from '../booking/reservations';

export async function spaceByCheckinCode(db: Kysely<Database>, code: string, locale: Locale) {
	if (!/^[a-z2-7]{32}$/.test(code)) return null;
	const row = await db.selectFrom('fitness_space').select(['id', 'name_zh', 'name_en']).where('checkin_code', '=', code).executeTakeFirst();
	return row ? { id: row.id, name: locale === 'en' ? row.name_en : row.name_zh } : null;
}

/** The person's reservations at the space that can be checked in to now (usually one). */
export async function checkinCandidates(db: Kysely<Database>, personId: number, spaceId: number, locale: Locale) {
	const at = now();
	const rows = await db
		.selectFrom('reservation')
		.innerJoin('fitness_session', 'fitness_session.occurrence_id', 'reservation.occurrence_id')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.select([
			'reservation.id',
			'reservation.status',
			'occurrence.title_zh',
			'occurrence.title_en',
			'occurrence.starts_at',
			'occurrence.ends_at'
		])
		.where('reservation.person_id', '=', personId)
		.where('fitness_session.space_id', '=', spaceId)
		.where('reservation.status', 'in', ['reserved', 'attended'])
		.where('occurrence.cancelled_at', 'is', null)
		.where('occurrence.starts_at', '<=', new Date(at.getTime() + CHECK_IN_OPENS_MINUTES * 60_000))
		.where('occurrence.ends_at', '>', at)
		.orderBy('occurrence.starts_at')
		.execute();
	return rows.map((r) => ({
		reservationId: r.id,
		status: r.status,
		title: locale === 'en' ? r.title_en : r.title_zh,
		startsAt: r.starts_at.toISOString(),
		endsAt: r.ends_at.toISOString()
	}));
}

export async function posterCode(db: Kysely<Database>, spaceId: number): Promise<string | null> {
	const row = await db.selectFrom('fitness_space').select('checkin_code').where('id', '=', spaceId).executeTakeFirst();
	return row?.checkin_code ?? null;
}
