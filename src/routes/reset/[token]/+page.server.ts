import { redirect } from '@sveltejs/kit';
import { findLink, usePasswordLink } from '$lib/server/auth/links';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '$lib/server/auth/password';
import { clearSessionCookie } from '$lib/server/auth/session';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const schema = { newPassword: fields.password({ min: PASSWORD_MIN, max: PASSWORD_MAX }) };

// Opening the link changes nothing (mail scanners open links); only the form's POST uses it.
// The secret must not leak to other sites through the Referer: 'same-origin' keeps it home. Not
// 'no-referrer': with it, browsers send `Origin: null` on the form's POST, which the CSRF check refuses.
export const load: PageServerLoad = async ({ params, setHeaders }) => {
	setHeaders({ 'referrer-policy': 'same-origin', 'cache-control': 'no-store' });
	const link = await findLink(db(), params.token);
	return { valid: link !== null, login: link?.login ?? null, purpose: link?.purpose ?? null };
};

export const actions: Actions = {
	default: async ({ params, request, cookies }) => {
		const parsed = parseForm(schema, await readForm(request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors });
		const link = await findLink(db(), params.token);
		if (!link) return refuse(410, { message: { key: 'reset.set.invalid' } });
		const weak = passwordProblem(parsed.data.newPassword, [link.login]);
		if (weak) return refuse(400, { errors: { newPassword: { key: weak } } });
		const result = await usePasswordLink(db(), params.token, parsed.data.newPassword);
		if (!result.ok) return refuse(410, { message: { key: 'reset.set.invalid' } });
		clearSessionCookie(cookies);
		redirect(303, '/login?reset=done');
	}
};
