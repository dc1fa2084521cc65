import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { clearSessionCookie } from '$lib/server/auth/session';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import { deleteAccount } from '$lib/server/privacy/erase';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireUser(event);
	return {};
};

const deleteFields = { password: fields.password({ min: 1, max: 200 }), confirm: fields.checkbox() };

export const actions: Actions = {
	delete: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(deleteFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors });
		if (!parsed.data.confirm) return refuse(400, { errors: { confirm: { key: 'error.required' } } });
		const result = await deleteAccount(db(), user.accountId, parsed.data.password);
		if (!result.ok) {
			if (result.reason === 'wrong-password') return refuse(400, { errors: { password: { key: 'mydata.delete.wrongPassword' } } });
			return refuse(409, { message: { key: 'mydata.delete.hasDuties' } });
		}
		// The sessions are gone with the account; the cookie goes too.
		clearSessionCookie(event.cookies);
		redirect(303, '/account/deleted');
	}
};
