import { requireRole } from '$lib/server/auth/guard';
import { scopeOf } from '$lib/server/auth/roles';
import { communityName } from '$lib/server/communities';
import { db } from '$lib/server/db';
import { dashboard, totals } from '$lib/server/participation/dashboard';
import { filterQuery } from '$lib/server/participation/filters';
import { communityChoices, pageFiltersOf } from './filters.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const { filters, badPeriod } = await pageFiltersOf(event, user);
	const scope = scopeOf(user.roles, 'staff');
	const communities = scope === 'all' ? null : await Promise.all(scope.map((id) => communityName(db(), id, event.locals.locale)));
	const rows = await dashboard(db(), filters);
	return {
		communities: communities?.filter((c): c is string => c !== null) ?? null,
		filters: { from: filters.from, to: filters.to, communityId: filters.communityId },
		badPeriod,
		query: filterQuery(filters),
		choices: await communityChoices(event, user),
		rows,
		totals: totals(rows)
	};
};
