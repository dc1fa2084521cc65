import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import type { Database } from '../db/schema';
import { communityOptions } from '../communities';
import { staffCovers, type Actor } from './people';

/** The communities a staff member may choose in a form: theirs only. */
export async function staffCommunityOptions(db: Kysely<Database>, actor: Actor, locale: Locale) {
	const all = await communityOptions(db, locale);
	return all.filter((c) => staffCovers(actor, Number(c.value)));
}
