import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import type { Database } from './db/schema';

export type CommunityOption = { value: string; label: string };

/** Communities as choices for a form, named in the reader's language. */
export async function communityOptions(db: Kysely<Database>, locale: Locale): Promise<CommunityOption[]> {
	const rows = await db.selectFrom('community').select(['id', 'name_zh', 'name_en']).orderBy('id').execute();
	return rows.map((r) => ({ value: String(r.id), label: locale === 'en' ? r.name_en : r.name_zh }));
}

export async function communityName(db: Kysely<Database>, id: number, locale: Locale): Promise<string | null> {
	const row = await db.selectFrom('community').select(['name_zh', 'name_en']).where('id', '=', id).executeTakeFirst();
	return row ? (locale === 'en' ? row.name_en : row.name_zh) : null;
}
