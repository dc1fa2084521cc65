import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import type { Database } from './db/schema';

export type CommunityOption = { value: string; label: string };
export type Community = { id: number; code: string; nameZh: string; nameEn: string };

// The list of communities is read on every staff page (filters, names, choices) and changes only
// when an admin adds or renames one. Each app server keeps it for a few seconds per database
// handle; the admin's own server forgets it at once (forgetCommunities). Names only: nobody's
// scope depends on it — scopes come from the account's roles on every request.
const TTL_MS = 5_000;
const lists = new WeakMap<Kysely<Database>, { until: number; rows: Promise<Community[]> }>();

/** Every community, ordered by id (from a per-process copy at most 5 s old). */
export function allCommunities(db: Kysely<Database>): Promise<Community[]> {
	const at = performance.now();
	const hit = lists.get(db);
	if (hit && hit.until > at) return hit.rows;
	const rows = db
		.selectFrom('community')
		.select(['id', 'code', 'name_zh', 'name_en'])
		.orderBy('id')
		.execute()
		.then((list) => list.map((r) => ({ id: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en })));
	lists.set(db, { until: at + TTL_MS, rows });
	rows.catch(() => lists.delete(db));
	return rows;
}

/** After an admin adds or renames a community (called once the change is committed). */
export function forgetCommunities(db: Kysely<Database>): void {
	lists.delete(db);
}

export async function communityById(db: Kysely<Database>, id: number): Promise<Community | null> {
	return (await allCommunities(db)).find((c) => c.id === id) ?? null;
}

/** Communities as choices for a form, named in the reader's language. */
export async function communityOptions(db: Kysely<Database>, locale: Locale): Promise<CommunityOption[]> {
	return (await allCommunities(db)).map((r) => ({ value: String(r.id), label: locale === 'en' ? r.nameEn : r.nameZh }));
}

export async function communityName(db: Kysely<Database>, id: number, locale: Locale): Promise<string | null> {
	const row = await communityById(db, id);
	return row ? (locale === 'en' ? row.nameEn : row.nameZh) : null;
}
