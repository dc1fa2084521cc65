import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm, refuse } from '$lib/server/forms';
import {
	coverageNow,
	coverageTarget,
	coverageTrend,
	expiringCertificates,
	notifyRefresher,
	setCoverageTarget
} from '$lib/server/participation/coverage';
import { filterQuery } from '$lib/server/participation/filters';
import { communityChoices, filtersOf, pageFiltersOf } from '../filters.server';
import type { Actions, PageServerLoad } from './$types';

const SHOWN = 100;

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const { filters, badPeriod } = await pageFiltersOf(event, user);
	const [communities, trend, target, expiring] = await Promise.all([
		coverageNow(db(), filters),
		coverageTrend(db(), filters),
		coverageTarget(db(), filters.communityId),
		expiringCertificates(db(), filters, SHOWN)
	]);
	const names = new Map(communities.map((c) => [c.communityId, event.locals.locale === 'en' ? c.nameEn : c.nameZh]));
	return {
		filters: { from: filters.from, to: filters.to, communityId: filters.communityId },
		badPeriod,
		query: filterQuery(filters),
		choices: await communityChoices(event, user),
		communities,
		trend,
		target,
		// Only district-wide staff set the district's target.
		canSetTarget: filters.communityId !== null || filters.communities === null,
		expiring: [...expiring].map((c) => ({ ...c, community: names.get(c.communityId) ?? '' })),
		expiringCount: expiring.total,
		shown: SHOWN
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
