/**
 * A person's calendar feed behind a revocable secret link. Modules contribute their items through
 * `registerCalendarSource`; the feed and the home page both read them.
 */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { looksLikeSecret, randomSecret, sha256 } from '../tokens';
import type { CalendarItem } from './ical';

/** `endingAfter`: only items that end after this instant (the home page's "what comes next"); the feed takes all. */
export type CalendarSource = (db: Kysely<Database>, personId: number, locale: Locale, endingAfter?: Date) => Promise<CalendarItem[]>;
const sources = new Map<string, CalendarSource>();

export function registerCalendarSource(name: string, source: CalendarSource): void {
	sources.set(name, source);
}

/** Everything of a person's from every module, in time order. */
export async function calendarItems(db: Kysely<Database>, personId: number, locale: Locale, endingAfter?: Date): Promise<CalendarItem[]> {
	const all = await Promise.all([...sources.values()].map((source) => source(db, personId, locale, endingAfter)));
	return all.flat().sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Revokes any feed the person has and makes a new one; returns the secret for the URL (shown once). */
export async function createFeed(db: Kysely<Database>, personId: number): Promise<string> {
	const secret = randomSecret();
	await db.transaction().execute(async (trx) => {
		await trx
			.updateTable('calendar_feed')
			.set({ revoked_at: now() })
			.where('person_id', '=', personId)
			.where('revoked_at', 'is', null)
			.execute();
		await trx
			.insertInto('calendar_feed')
			.values({ person_id: personId, secret_hash: sha256(secret), created_at: now() })
			.execute();
	});
	return secret;
}

export async function revokeFeed(db: Kysely<Database>, personId: number): Promise<void> {
	await db
		.updateTable('calendar_feed')
		.set({ revoked_at: now() })
		.where('person_id', '=', personId)
		.where('revoked_at', 'is', null)
		.execute();
}

export async function hasFeed(db: Kysely<Database>, personId: number): Promise<boolean> {
	const row = await db
		.selectFrom('calendar_feed')
		.select('id')
		.where('person_id', '=', personId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	return !!row;
}

/** The person a live feed secret belongs to, with their language; null for unknown or revoked secrets. */
export async function feedOwner(db: Kysely<Database>, secret: string): Promise<{ personId: number; locale: Locale } | null> {
	if (!looksLikeSecret(secret)) return null;
	const row = await db
		.selectFrom('calendar_feed')
		.leftJoin('account', 'account.person_id', 'calendar_feed.person_id')
		.select(['calendar_feed.person_id', 'account.locale'])
		.where('calendar_feed.secret_hash', '=', sha256(secret))
		.where('calendar_feed.revoked_at', 'is', null)
		.executeTakeFirst();
	return row ? { personId: row.person_id, locale: row.locale === 'en' ? 'en' : 'zh-CN' } : null;
}
