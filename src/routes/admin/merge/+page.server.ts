import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import { mergePeople } from '$lib/server/people/merge';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return {};
};

const mergeFields = { keepId: fields.id(), dropId: fields.id(), confirm: fields.checkbox() };

export const actions: Actions = {
	merge: async (event) => {
		const user = requireRole(event, 'admin');
		const parsed = parseForm(mergeFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		if (!parsed.data.confirm) return refuse(400, { errors: { confirm: { key: 'error.required' } }, values: parsed.values });
		const result = await mergePeople(db(), user.accountId, parsed.data.keepId, parsed.data.dropId);
		if (!result.ok)
			return refuse(result.reason === 'not-found' ? 404 : 409, {
				message: { key: `merge.refused.${result.reason}` },
				values: parsed.values
			});
		return { merged: result.cancelled.length };
	}
};
