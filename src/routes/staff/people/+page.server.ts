import { requireRole } from '$lib/server/auth/guard';
import { communityOptions } from '$lib/server/communities';
import { db } from '$lib/server/db';
import { searchPeople } from '$lib/server/people/people';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const query = (event.url.searchParams.get('q') ?? '').slice(0, 50);
	const names = new Map((await communityOptions(db(), event.locals.locale)).map((c) => [Number(c.value), c.label]));
	const people = query ? await searchPeople(db(), user, query) : [];
	return {
		query,
		searched: query !== '',
		people: people.map((p) => ({ ...p, community: p.communityId ? (names.get(p.communityId) ?? '') : '' }))
	};
};
