import { error, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { studioFields } from '$lib/server/doctors/schema';
import { createStudio, studiosForStaff } from '$lib/server/doctors/studios';
import { parseForm, readForm, refuse } from '$lib/server/forms';
import { staffCommunityOptions } from '$lib/server/people/staff-scope';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	return {
		studios: await studiosForStaff(db(), user, event.locals.locale),
		communities: await staffCommunityOptions(db(), user, event.locals.locale)
	};
};

export const actions: Actions = {
	createStudio: async (event) => {
		const user = requireRole(event, 'staff');
		const parsed = parseForm(studioFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await createStudio(db(), user, parsed.data);
		if (!result.ok) error(403, { message: 'Forbidden' });
		redirect(303, `/staff/doctors/${result.studioId}?created=1`);
	}
};
