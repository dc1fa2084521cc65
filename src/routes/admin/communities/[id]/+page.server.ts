import { error, fail } from '@sveltejs/kit';
import { communityDetail, POPULATION_MAX, recordPopulation, renameCommunity } from '$lib/server/admin/communities';
import { requiredDate, requiredInteger } from '$lib/server/admin/fields';
import { shanghaiDateTime } from '$lib/server/admin/format';
import { requireRole } from '$lib/server/auth/guard';
import { today } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import type { Actions, PageServerLoad } from './$types';

const namesSchema = { nameZh: fields.text({ max: 60 }), nameEn: fields.text({ max: 80 }) };
const populationSchema = {
	population: requiredInteger(0, POPULATION_MAX, 'admin.error.population'),
	effectiveFrom: requiredDate()
};

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const community = await communityDetail(db(), routeId(event.params.id), today());
	if (!community) error(404, { message: 'Not found' });
	return {
		community: { ...community, history: community.history.map((h) => ({ ...h, recordedAt: shanghaiDateTime(h.recordedAt) })) },
		today: today(),
		created: event.url.searchParams.has('created')
	};
};

export const actions: Actions = {
	rename: async (event) => {
		const user = requireRole(event, 'admin');
		const parsed = parseForm(namesSchema, await readForm(event.request));
		if (!parsed.ok) return fail(400, { form: 'names' as const, errors: parsed.errors, values: parsed.values });
		const result = await renameCommunity(db(), user.accountId, routeId(event.params.id), parsed.data);
		if (!result.ok)
			return fail(404, { form: 'names' as const, message: { key: 'admin.community.notFound' as const }, values: parsed.values });
		return { renamed: true };
	},
	population: async (event) => {
		const user = requireRole(event, 'admin');
		const parsed = parseForm(populationSchema, await readForm(event.request));
		if (!parsed.ok) return fail(400, { form: 'population' as const, errors: parsed.errors, values: parsed.values });
		const result = await recordPopulation(db(), user.accountId, routeId(event.params.id), parsed.data);
		if (!result.ok)
			return fail(404, { form: 'population' as const, message: { key: 'admin.community.notFound' as const }, values: parsed.values });
		return { population: { ...parsed.data, previous: result.corrected ? result.previous : null } };
	}
};
