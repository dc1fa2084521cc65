import { redirect } from '@sveltejs/kit';
import { authenticate } from '$lib/server/auth/accounts';
import { deviceTokens, issueDevice, setDeviceCookie } from '$lib/server/auth/devices';
import { safeNext } from '$lib/server/auth/guard';
import { parseLogin } from '$lib/server/auth/identifiers';
import { PASSWORD_MAX } from '$lib/server/auth/password';
import { createSession, setSessionCookie } from '$lib/server/auth/session';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import { waitMessage } from '$lib/server/wait';
import type { Actions, PageServerLoad } from './$types';

const schema = {
	login: fields.text({ max: 254 }),
	// No minimum here: a log-in only compares, and says nothing about the policy.
	password: fields.password({ min: 1, max: PASSWORD_MAX })
};

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next, askedToLogIn: url.searchParams.has('next'), resetDone: url.searchParams.get('reset') === 'done' };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await readForm(request);
		const parsed = parseForm(schema, form);
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		// A log-in that cannot be a phone number or e-mail is a typing mistake, not a failed attempt.
		if (parseLogin(parsed.data.login).kind === 'invalid')
			return refuse(400, { errors: { login: { key: 'error.login' } }, values: parsed.values });
		const result = await authenticate(db(), parsed.data.login, parsed.data.password, getClientAddress(), deviceTokens(cookies));
		if (!result.ok) {
			const values = { login: parsed.values.login };
			if (result.reason === 'throttled') return refuse(429, { message: waitMessage('login.throttled', result.waitMs), values });
			return refuse(400, { message: { key: result.reason === 'disabled' ? 'login.disabled' : 'login.failed' }, values });
		}
		const { token, session } = await createSession(db(), result.accountId);
		setSessionCookie(cookies, token, session.expiresAt);
		// This browser is now one the account knows: failures elsewhere will not hold it up (devices.ts).
		setDeviceCookie(cookies, await issueDevice(db(), result.accountId, result.device ?? null), result.device ?? null);
		const next = form.get('next');
		redirect(303, safeNext(typeof next === 'string' ? next : url.searchParams.get('next')));
	}
};
