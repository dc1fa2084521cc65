// The dashboard, coverage page and exports read their filters the same way: refused, never widened.
import { error, type RequestEvent } from '@sveltejs/kit';
import type { AuthUser } from '$lib/server/auth/user';
import { scopeOf } from '$lib/server/auth/roles';
import { db } from '$lib/server/db';
import { readFilters } from '$lib/server/participation/filters';
import { staffCommunityOptions } from '$lib/server/people/staff-scope';

export async function filtersOf(event: Pick<RequestEvent, 'url' | 'locals'>, user: AuthUser) {
	const result = await readFilters(db(), user, event.url.searchParams);
	if (!result.ok) {
		if (result.reason === 'out-of-scope') error(403, { message: 'Forbidden' });
		error(400, { message: 'Bad request' });
	}
	return result.filters;
}

/**
 * For pages: a mistyped period falls back to the default one with a note (the person sees what
 * went wrong and still gets a page); another community is refused as in exports.
 */
export async function pageFiltersOf(event: Pick<RequestEvent, 'url' | 'locals'>, user: AuthUser) {
	const result = await readFilters(db(), user, event.url.searchParams);
	if (result.ok) return { filters: result.filters, badPeriod: false };
	if (result.reason === 'out-of-scope') error(403, { message: 'Forbidden' });
	const rest = new URLSearchParams(event.url.searchParams);
	rest.delete('from');
	rest.delete('to');
	const retry = await readFilters(db(), user, rest);
	if (!retry.ok)
		error(retry.reason === 'out-of-scope' ? 403 : 400, { message: retry.reason === 'out-of-scope' ? 'Forbidden' : 'Bad request' });
	return { filters: retry.filters, badPeriod: true };
}

/** The community choices of the filter form: "all" only for staff of more than one community. */
export async function communityChoices(event: Pick<RequestEvent, 'locals'>, user: AuthUser) {
	const options = await staffCommunityOptions(db(), user, event.locals.locale);
	const scope = scopeOf(user.roles, 'staff');
	return { options, all: scope === 'all' ? 'all' : options.length > 1 ? 'mine' : null } as const;
}
