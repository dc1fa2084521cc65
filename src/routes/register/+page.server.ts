import { redirect } from '@sveltejs/kit';
import { register } from '$lib/server/auth/accounts';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '$lib/server/auth/password';
import { createSession, setSessionCookie } from '$lib/server/auth/session';
import { rateLimit } from '$lib/server/auth/throttle';
import { now } from '$lib/server/clock';
import { communityOptions } from '$lib/server/communities';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import { waitMessage } from '$lib/server/wait';
import type { FieldError, FieldErrors } from '$lib/forms';
import type { Actions, PageServerLoad } from './$types';

/** Registrations per client address per hour (each answer may say whether a number is registered). */
const REGISTRATIONS_PER_HOUR = 20;

const schema = {
	phone: fields.optionalPhone(),
	email: fields.optionalEmail(),
	familyName: fields.text({ max: 40 }),
	givenName: fields.text({ max: 40 }),
	displayName: fields.optionalText({ max: 40 }),
	birthYear: fields.optionalInteger(1900, 2100, 'error.birthYear'),
	communityId: fields.id('error.community'),
	password: fields.password({ min: PASSWORD_MIN, max: PASSWORD_MAX }),
	acceptPrivacy: fields.checkbox()
};

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user) redirect(303, '/');
	return { communities: await communityOptions(db(), locals.locale) };
};

export const actions: Actions = {
	default: async ({ request, cookies, locals, getClientAddress }) => {
		const parsed = parseForm(schema, await readForm(request));
		const errors: FieldErrors<keyof typeof schema> = parsed.ok ? {} : { ...parsed.errors };
		if (parsed.ok) {
			const d = parsed.data;
			const thisYear = now().getUTCFullYear();
			if (!d.phone && !d.email) errors.phone = { key: 'error.phoneOrEmail' };
			if (d.birthYear !== null && (d.birthYear < 1900 || d.birthYear > thisYear))
				errors.birthYear = { key: 'error.birthYear', params: { min: 1900, max: thisYear } };
			const weak = passwordProblem(d.password, [d.phone, d.email]);
			if (weak) errors.password = { key: weak };
			if (!d.acceptPrivacy) errors.acceptPrivacy = { key: 'error.acceptPrivacy' };
		}
		if (!parsed.ok || Object.keys(errors).length > 0) return refuse(400, { errors, values: parsed.values });

		const limited = await rateLimit(db(), `register:address:${getClientAddress()}`, REGISTRATIONS_PER_HOUR, 60 * 60_000);
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
