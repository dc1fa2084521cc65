import { searchAccounts, SEARCH_LIMIT } from '$lib/server/admin/accounts';
import { requireRole } from '$lib/server/auth/guard';
import { today } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { fields, parseForm, readQuery } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

const schema = { q: fields.optionalText({ max: 100 }) };

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const parsed = parseForm(schema, readQuery(event.url));
	if (!parsed.ok) return { query: null, errors: parsed.errors, values: parsed.values, hits: [], more: false, limit: SEARCH_LIMIT };
	const query = parsed.data.q;
	const found = query ? await searchAccounts(db(), query, { locale: event.locals.locale, onDate: today() }) : { hits: [], more: false };
	return { query, errors: null, values: parsed.values, ...found, limit: SEARCH_LIMIT };
};
