import { error, redirect } from '@sveltejs/kit';
import { forget } from '$lib/server/cache';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { createSpace } from '$lib/server/fitness/spaces';
import { spaceFields } from '$lib/server/fitness/schema';
import { spacesForStaff } from '$lib/server/fitness/staff';
import { parseForm, readForm, refuse } from '$lib/server/forms';
import { staffCommunityOptions } from '$lib/server/people/staff-scope';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	return {
		spaces: await spacesForStaff(db(), user, event.locals.locale),
		communities: await staffCommunityOptions(db(), user, event.locals.locale)
	};
};

export const actions: Actions = {
	createSpace: async (event) => {
		const user = requireRole(event, 'staff');
		const parsed = parseForm(spaceFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await createSpace(db(), user, parsed.data);
		if (!result.ok) error(403, { message: 'Forbidden' });
		forget('spaces:');
		redirect(303, `/staff/fitness/spaces/${result.spaceId}?created=1`);
	}
};
