import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm, refuse } from '$lib/server/forms';
import { coverageOverview, EXPIRING_PAGE_SIZE, expiringPage, notifyRefresher, setCoverageTarget } from '$lib/server/participation/coverage';
import { filterQuery } from '$lib/server/participation/filters';
import { communityChoices, filtersOf, pageFiltersOf } from '../filters.server';
import type { Actions, PageServerLoad } from './$types';

/** The page of the expiring list asked for (`?expiring=2`); anything else is the first. */
function pageOf(params: URLSearchParams): number {
	const raw = params.get('expiring') ?? '';
	return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const { filters, badPeriod } = await pageFiltersOf(event, user);
	const asked = pageOf(event.url.searchParams);
	const [overview, choices] = await Promise.all([coverageOverview(db(), filters, asked), communityChoices(event, user)]);
	// Past the end (the list shrank, or a hand-made address): the last page instead.
	const pages = Math.max(1, Math.ceil(overview.expiring.total / EXPIRING_PAGE_SIZE));
	const page = Math.min(asked, pages);
	const expiring = page === asked ? overview.expiring : await expiringPage(db(), filters, page);
	const names = new Map(overview.communities.map((c) => [c.communityId, event.locals.locale === 'en' ? c.nameEn : c.nameZh]));
	return {
		filters: { from: filters.from, to: filters.to, communityId: filters.communityId },
		badPeriod,
		query: filterQuery(filters),
		choices,
		communities: overview.communities,
		trend: overview.trend,
		target: overview.target,
		// Only district-wide staff set the district's target.
		canSetTarget: filters.communityId !== null || filters.communities === null,
		expiring: expiring.rows.map((c) => ({
			certificateId: c.certificateId,
			personId: c.personId,
			name: `${c.familyName}${c.givenName}`,
			community: names.get(c.communityId) ?? '',
			number: c.number,
			course: event.locals.locale === 'en' ? c.courseEn : c.courseZh,
			validUntil: c.validUntil
		})),
		expiringCount: expiring.total,
		expiringPage: { page, pages, first: (page - 1) * EXPIRING_PAGE_SIZE + 1, last: (page - 1) * EXPIRING_PAGE_SIZE + expiring.rows.length }
	};
};

export const actions: Actions = {
	target: async (event) => {
		const user = requireRole(event, 'staff');
		const filters = await filtersOf(event, user);
		const form = await readForm(event.request);
		const raw = String(form.get('target') ?? '').trim();
		const value = /^\d{1,3}(\.\d{1,2})?$/.test(raw) ? Number(raw) : NaN;
		const result = await setCoverageTarget(db(), user, filters.communityId, value);
		if (!result.ok) {
			if (result.reason === 'out-of-scope') error(403, { message: 'Forbidden' });
			return refuse(400, { errors: { target: { key: 'coverage.target.bad' } }, values: { target: raw } });
		}
		return { targetSaved: true };
	},
	notify: async (event) => {
		const user = requireRole(event, 'staff');
		const filters = await filtersOf(event, user);
		const result = await notifyRefresher(db(), user, filters);
		if (!result.ok) error(403, { message: 'Forbidden' });
		return { notified: { sent: result.sent, skipped: result.skipped } };
	}
};
