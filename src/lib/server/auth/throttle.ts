/**
 * Throttling in the database, so that every app server sees the same counts.
 *
 * Log-in failures: after `threshold` failures for a key, each further attempt must wait a delay that
 * doubles with every further failure, from 30 seconds up to 15 minutes. Attempts made while waiting
 * are refused without being counted, so nobody can lock a resident out for longer by hammering, and
 * the right password works again once the delay has passed. Failures are forgotten after an hour
 * without one, and a key's count ends at a successful log-in.
 *
 * Rate limits: at most `limit` actions per key in a fixed window.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { now } from '../clock';
import type { Database } from '../db/schema';

export const ACCOUNT_THRESHOLD = 5;
/** Higher per address: a community centre helps many residents from one address. */
export const ADDRESS_THRESHOLD = 20;
/** Per device cookie (a browser that logged in to the account before): as for an account. */
export const DEVICE_THRESHOLD = 5;
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 15 * 60_000;
const FORGET_AFTER_MS = 60 * 60_000;

/** The delay after the `failures`-th failure, for a key with this threshold (0 below it). */
export function delayAfter(failures: number, threshold: number): number {
	if (failures < threshold) return 0;
	return Math.min(BASE_DELAY_MS * 2 ** (failures - threshold), MAX_DELAY_MS);
}

async function lockedRow(trx: Transaction<Database>, key: string, at: Date) {
	await trx
		.insertInto('throttle')
		.values({ key, failures: 0, first_at: at, last_at: at })
		.onConflict((oc) => oc.column('key').doNothing())
		.execute();
	return trx.selectFrom('throttle').selectAll().where('key', '=', key).forUpdate().executeTakeFirstOrThrow();
}

/** How long until every one of `keys` may try again; 0 when none is waiting. */
export async function waitFor(db: Kysely<Database>, keys: string[]): Promise<number> {
	const at = now().getTime();
	const rows = await db.selectFrom('throttle').select('blocked_until').where('key', 'in', keys).execute();
	return Math.max(0, ...rows.map((r) => (r.blocked_until ? r.blocked_until.getTime() - at : 0)));
}

export async function recordFailure(db: Kysely<Database>, key: string, threshold: number): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const at = now();
		const row = await lockedRow(trx, key, at);
		const fresh = at.getTime() - row.last_at.getTime() > FORGET_AFTER_MS;
		const failures = (fresh ? 0 : row.failures) + 1;
		const delay = delayAfter(failures, threshold);
		await trx
			.updateTable('throttle')
			.set({ failures, first_at: fresh ? at : row.first_at, last_at: at, blocked_until: delay ? new Date(at.getTime() + delay) : null })
			.where('key', '=', key)
			.execute();
	});
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
	await db.deleteFrom('throttle').where('key', '=', key).execute();
}

/**
 * Counts one action against `key`; refuses (with the wait) once `limit` were made in the window.
 * One statement (an upsert), so no transaction and no row held between round trips: within the
 * window every attempt adds one, and the attempt is allowed while the count stays within `limit`.
 * Refused attempts are counted too, which changes nothing (the window ends at the same time);
 * only allowed ones move `last_at`.
 */
export async function rateLimit(
	db: Kysely<Database>,
	key: string,
	limit: number,
	windowMs: number
): Promise<{ ok: true } | { ok: false; waitMs: number }> {
	const at = now();
	const windowStart = new Date(at.getTime() - windowMs);
	const { rows } = await sql<{ failures: number; first_at: Date }>`
		INSERT INTO throttle AS t (key, failures, first_at, last_at) VALUES (${key}, 1, ${at}, ${at})
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN t.first_at <= ${windowStart} THEN 1 ELSE t.failures + 1 END,
			first_at = CASE WHEN t.first_at <= ${windowStart} THEN ${at} ELSE t.first_at END,
			last_at = CASE WHEN t.first_at <= ${windowStart} OR t.failures < ${limit} THEN ${at} ELSE t.last_at END
		RETURNING failures, first_at`.execute(db);
	const row = rows[0]!;
	if (row.failures <= limit) return { ok: true };
	return { ok: false, waitMs: new Date(row.first_at).getTime() + windowMs - at.getTime() };
}
