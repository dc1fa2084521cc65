import { redirect } from '@sveltejs/kit';
import { createCommunity, listCommunities } from '$lib/server/admin/communities';
import { communityCode } from '$lib/server/admin/fields';
import { requireRole } from '$lib/server/auth/guard';
import { today } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const schema = {
	code: communityCode(),
	nameZh: fields.text({ max: 60 }),
	nameEn: fields.text({ max: 80 })
};

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return { communities: await listCommunities(db(), today()) };
};

export const actions: Actions = {
	create: async (event) => {
		const user = requireRole(event, 'admin');
		const parsed = parseForm(schema, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await createCommunity(db(), user.accountId, parsed.data);
		if (!result.ok) return refuse(409, { errors: { code: { key: 'admin.communities.codeTaken' } }, values: parsed.values });
		redirect(303, `/admin/communities/${result.id}?created=1`);
	}
};
