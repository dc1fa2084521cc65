import { requireRole } from '$lib/server/auth/guard';
import { scopeOf } from '$lib/server/auth/roles';
import { communityName } from '$lib/server/communities';
import { db } from '$lib/server/db';
import { dashboard, PROGRAMMES, totals } from '$lib/server/participation/dashboard';
import { filterQuery } from '$lib/server/participation/filters';
import { communityChoices, pageFiltersOf } from './filters.server';
import type { PageServerLoad } from './$types';

/** Months per page of the monthly table (three rows each); the chart and the totals cover the whole period. */
const MONTHS_PER_PAGE = 6;

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const { filters, badPeriod } = await pageFiltersOf(event, user);
	const scope = scopeOf(user.roles, 'staff');
	const [communities, rows, choices] = await Promise.all([
		scope === 'all' ? null : Promise.all(scope.map((id) => communityName(db(), id, event.locals.locale))),
		dashboard(db(), filters),
		communityChoices(event, user)
	]);
	const months = [...new Set(rows.map((r) => r.month))];
	const pages = Math.max(1, Math.ceil(months.length / MONTHS_PER_PAGE));
	const raw = event.url.searchParams.get('monthly') ?? '';
	const page = Math.min(pages, /^[1-9]\d{0,2}$/.test(raw) ? Number(raw) : 1);
	const shown = new Set(months.slice((page - 1) * MONTHS_PER_PAGE, page * MONTHS_PER_PAGE));
	return {
		communities: communities?.filter((c): c is string => c !== null) ?? null,
		filters: { from: filters.from, to: filters.to, communityId: filters.communityId },
		badPeriod,
		query: filterQuery(filters),
		choices,
		// The chart needs one figure per month and programme; the table only the page's months.
		chart: { months, attended: PROGRAMMES.map((p) => rows.filter((r) => r.programme === p).map((r) => r.attended)) },
		monthly: {
			rows: rows
				.filter((r) => shown.has(r.month))
				.map((r) => ({
					month: r.month,
					programme: r.programme,
					made: r.made,
					attended: r.attended,
					noShows: r.noShows,
					lateCancelled: r.lateCancelled,
					participants: r.participants,
					waitlistDemand: r.waitlistDemand,
					places: r.places,
					fillRate: r.fillRate
				})),
			page,
			pages,
			first: [...shown][0] ?? filters.from,
			last: [...shown].at(-1) ?? filters.to
		},
		totals: totals(rows)
	};
};
