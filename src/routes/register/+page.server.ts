import { redirect } from '@sveltejs/kit';
import { register } from '$lib/server/auth/accounts';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '$lib/server/auth/password';
import { createSession, setSessionCookie } from '$lib/server/auth/session';
import { rateLimit } from '$lib/server/auth/throttle';
import { communityOptions } from '$lib/server/communities';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import { waitMessage } from '$lib/server/wait';
import { personFields } from '$lib/server/people/schema';
import type { FieldError, FieldErrors } from '$lib/forms';
import type { Actions, PageServerLoad } from './$types';

const schema = {
	...personFields,
	password: fields.password({ min: PASSWORD_MIN, max: PASSWORD_MAX }),
	acceptPrivacy: fields.checkbox()
};

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user) redirect(303, '/');
	return { communities: await communityOptions(db(), locals.locale) };
};

export const actions: Actions = {
	default: async ({ request, cookies, locals, getClientAddress }) => {
		const form = await readForm(request);
		const parsed = parseForm(schema, form);
		// Every problem at once, so nobody has to send the form twice to learn of the next one.
		const errors: FieldErrors<keyof typeof schema & string> = parsed.ok ? {} : { ...parsed.errors };
		const blank = (name: string) => (form.get(name) ?? '').toString().trim() === '';
		if (!errors.phone && !errors.email && blank('phone') && blank('email')) errors.phone = { key: 'error.phoneOrEmail' };
		if (!errors.acceptPrivacy && blank('acceptPrivacy')) errors.acceptPrivacy = { key: 'error.acceptPrivacy' };
		if (parsed.ok) {
			const weak = passwordProblem(parsed.data.password, [parsed.data.phone, parsed.data.email]);
			if (weak) errors.password = { key: weak };
		}
		if (!parsed.ok || Object.keys(errors).length > 0) return refuse(400, { errors, values: parsed.values });

		const limited = await rateLimit(db(), `register:address:${getClientAddress()}`, config().registrationsPerHour, 60 * 60_000);
		if (!limited.ok) return refuse(429, { message: waitMessage('register.throttled', limited.waitMs), values: parsed.values });

		const d = parsed.data;
		const result = await register(db(), { ...d, locale: locals.locale });
		if (!result.ok) {
			if (result.reason === 'unknown-community')
				return refuse(400, { errors: { communityId: { key: 'error.community' } }, values: parsed.values });
			const message: FieldError = { key: result.reason === 'phone-taken' ? 'register.phoneTaken' : 'register.emailTaken' };
			return refuse(409, { message, values: parsed.values });
		}
		const { token, session } = await createSession(db(), result.accountId);
		setSessionCookie(cookies, token, session.expiresAt);
		redirect(303, '/');
	}
};
