/**
 * A short-lived, per-process cache for public read-only views (the timetable): under load, many
 * visitors ask for the same week at once. What it holds may be a few seconds stale ("places left"
 * on a public list); anything that decides — booking, capacity — always reads the database.
 * Each app server keeps its own; nothing depends on it being shared or present.
 */
import { now } from './clock';

type Entry = { until: number; value: Promise<unknown> };
const entries = new Map<string, Entry>();
const MAX_ENTRIES = 500;

export function cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
	const at = now().getTime();
	const hit = entries.get(key);
	if (hit && hit.until > at) return hit.value as Promise<T>;
	if (entries.size >= MAX_ENTRIES) entries.clear();
	const value = load();
	entries.set(key, { until: at + ttlMs, value });
	// A failed load is not kept: the next request tries again.
	value.catch(() => entries.delete(key));
	return value;
}

/** Drops every entry whose key starts with one of `prefixes` (after a change staff expect to see at once). */
export function forget(...prefixes: string[]): void {
	for (const key of entries.keys()) if (prefixes.some((p) => key.startsWith(p))) entries.delete(key);
}

/**
 * Cache headers for a page anyone may see (the timetable, a space's page). A shared cache may keep
 * it for a short while only when nobody is logged in: the page header then names nobody, and the
 * language follows the cookie or the browser's languages, hence `Vary`. A logged-in visitor's copy
 * names them: no cache keeps it (no-store, as every page of a signed-in person).
 */
export function publicPageHeaders(loggedIn: boolean): Record<string, string> {
	return loggedIn ? { 'cache-control': 'no-store' } : { 'cache-control': 'public, max-age=30', vary: 'Cookie, Accept-Language' };
}
