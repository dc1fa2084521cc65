import { requireRole } from '$lib/server/auth/guard';
import { communityOptions } from '$lib/server/communities';
import { db } from '$lib/server/db';
import { fields, parseForm, readQuery } from '$lib/server/forms';
import { searchPeople } from '$lib/server/people/people';
import type { PageServerLoad } from './$types';

// A GET form, read like any other: characters that cannot be searched for get a message at the field.
const searchFields = { q: fields.optionalText({ max: 50 }) };

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const search = parseForm(searchFields, readQuery(event.url));
	const query = search.ok ? (search.data.q ?? '') : '';
	const names = new Map((await communityOptions(db(), event.locals.locale)).map((c) => [Number(c.value), c.label]));
	const people = query ? await searchPeople(db(), user, query) : [];
	return {
		query: search.ok ? query : (search.values.q ?? ''),
		queryError: search.ok ? null : (search.errors.q ?? null),
		searched: query !== '',
		people: people.map((p) => ({ ...p, community: p.communityId ? (names.get(p.communityId) ?? '') : '' }))
	};
};
