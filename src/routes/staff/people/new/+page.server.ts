import { error, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import { createPerson, openAccountFor } from '$lib/server/people/people';
import { personFields } from '$lib/server/people/schema';
import { staffCommunityOptions } from '$lib/server/people/staff-scope';
import type { Actions, PageServerLoad } from './$types';

const schema = { ...personFields, openAccount: fields.checkbox() };

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	return { communities: await staffCommunityOptions(db(), user, event.locals.locale) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event, 'staff');
		const parsed = parseForm(schema, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const d = parsed.data;
		if (d.openAccount && !d.phone && !d.email)
			return refuse(400, { errors: { phone: { key: 'people.account.noLogin' } }, values: parsed.values });
		const created = await createPerson(db(), user, d);
		if (!created.ok) {
			if (created.reason === 'out-of-scope') error(403, { message: 'Forbidden' });
			return refuse(400, { errors: { communityId: { key: 'error.community' } }, values: parsed.values });
		}
		if (d.openAccount) {
			const opened = await openAccountFor(db(), user, created.personId);
			if (!opened.ok) redirect(303, `/staff/people/${created.personId}?created=1&account=${opened.reason}`);
		}
		redirect(303, `/staff/people/${created.personId}?created=1`);
	}
};
