import { changePassword, loginIdentifiers } from '$lib/server/auth/accounts';
import { requireUser } from '$lib/server/auth/guard';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '$lib/server/auth/password';
import { communityName } from '$lib/server/communities';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const passwordSchema = {
	currentPassword: fields.password({ min: 1, max: PASSWORD_MAX }),
	newPassword: fields.password({ min: PASSWORD_MIN, max: PASSWORD_MAX })
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const logins = await loginIdentifiers(db(), user.accountId);
	const roles = await Promise.all(
		user.roles.map(async (r) => ({
			role: r.role,
			community: r.communityId ? await communityName(db(), r.communityId, event.locals.locale) : null
		}))
	);
	return { profile: { familyName: user.familyName, givenName: user.givenName, displayName: user.displayName, ...logins }, roles };
};

export const actions: Actions = {
	password: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(passwordSchema, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors });
		const logins = await loginIdentifiers(db(), user.accountId);
		const weak = passwordProblem(parsed.data.newPassword, [logins.phone, logins.email]);
		if (weak) return refuse(400, { errors: { newPassword: { key: weak } } });
		const result = await changePassword(
			db(),
			user.accountId,
			event.locals.session!.id,
			parsed.data.currentPassword,
			parsed.data.newPassword
		);
		if (!result.ok) return refuse(400, { errors: { currentPassword: { key: 'account.wrongPassword' } } });
		return { passwordChanged: true };
	}
};
