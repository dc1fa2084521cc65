import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, readQuery, refuse, refuseStale } from '$lib/server/forms';
import { mergePeople } from '$lib/server/people/merge';
import { mergeCandidates, mergePreview, MERGE_SEARCH_LIMIT } from '$lib/server/people/merge-preview';
import type { Actions, PageServerLoad } from './$types';

const searchFields = { q: fields.optionalText({ max: 100 }) };
const pickFields = { keep: fields.id(), drop: fields.id() };

/** The two records picked for a preview (`?keep=…&drop=…`, a GET form: looking changes nothing). */
async function picked(url: URL, locale: App.Locals['locale']) {
	if (!url.searchParams.has('keep') && !url.searchParams.has('drop')) return { pickErrors: null, preview: null, missing: false };
	const parsed = parseForm(pickFields, readQuery(url));
	if (!parsed.ok) return { pickErrors: parsed.errors, preview: null, missing: false };
	if (parsed.data.keep === parsed.data.drop)
		return { pickErrors: { drop: { key: 'merge.refused.same' as const } }, preview: null, missing: false };
	const preview = await mergePreview(db(), parsed.data.keep, parsed.data.drop, locale);
	if (!preview) return { pickErrors: null, preview: null, missing: true };
	return {
		pickErrors: null,
		missing: false,
		preview: { ...preview, shared: preview.shared.map((s) => ({ ...s, startsAt: s.startsAt.toISOString() })) }
	};
}

/** Back from a merge (the action redirects here): the kept record and how many duplicates were cancelled. */
function mergedBefore(url: URL) {
	const keep = url.searchParams.get('merged');
	const cancelled = url.searchParams.get('cancelled');
	if (!keep || !/^[1-9]\d{0,14}$/.test(keep) || !cancelled || !/^\d{1,6}$/.test(cancelled)) return null;
	return { keepId: Number(keep), cancelled: Number(cancelled) };
}

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const search = parseForm(searchFields, readQuery(event.url));
	const query = search.ok ? search.data.q : null;
	return {
		query,
		searchErrors: search.ok ? null : search.errors,
		values: Object.fromEntries(event.url.searchParams),
		hits: query ? await mergeCandidates(db(), query, event.locals.locale) : [],
		limit: MERGE_SEARCH_LIMIT,
		done: mergedBefore(event.url),
		...(await picked(event.url, event.locals.locale))
	};
};

const mergeFields = { keepId: fields.id(), dropId: fields.id(), confirm: fields.checkbox() };

export const actions: Actions = {
	merge: async (event) => {
		const user = requireRole(event, 'admin');
		const parsed = parseForm(mergeFields, await readForm(event.request));
		// The two record numbers are hidden fields of the preview: refused, there is nothing to correct but reload.
		if (!parsed.ok)
			return parsed.errors.keepId || parsed.errors.dropId ? refuseStale() : refuse(400, { errors: parsed.errors, values: parsed.values });
		if (!parsed.data.confirm) return refuse(400, { errors: { confirm: { key: 'merge.confirmRequired' } }, values: parsed.values });
		const result = await mergePeople(db(), user.accountId, parsed.data.keepId, parsed.data.dropId);
		if (!result.ok)
			return refuse(result.reason === 'not-found' ? 404 : 409, {
				message: { key: `merge.refused.${result.reason}` },
				values: parsed.values
			});
		redirect(303, `/admin/merge?merged=${parsed.data.keepId}&cancelled=${result.cancelled.length}`);
	}
};
