import { redirect } from '@sveltejs/kit';
import { LOCALES } from '$lib/i18n';
import { setPreferences } from '$lib/server/auth/accounts';
import { safeNext } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import { rememberLanguage, rememberTextSize } from '$lib/server/preferences';
import type { Actions } from './$types';

const languageSchema = { locale: fields.choice(LOCALES) };
const textSchema = { large: fields.choice(['0', '1'] as const) };

/** Where to go back to: a page of this site, else the home page (a bad value is no reason to refuse the choice). */
function nextOf(form: FormData): string {
	const next = form.get('next');
	return safeNext(typeof next === 'string' ? next : null);
}

// Visitors keep their choice in a cookie; signed-in people in their account (and the cookie, for
// the pages they see after logging out).
export const actions: Actions = {
	language: async ({ request, cookies, locals }) => {
		const form = await readForm(request);
		const parsed = parseForm(languageSchema, form);
		if (!parsed.ok) return refuse(400, { errors: parsed.errors });
		rememberLanguage(cookies, parsed.data.locale);
		if (locals.user) await setPreferences(db(), locals.user.accountId, { locale: parsed.data.locale });
		redirect(303, nextOf(form));
	},
	textSize: async ({ request, cookies, locals }) => {
		const form = await readForm(request);
		const parsed = parseForm(textSchema, form);
		if (!parsed.ok) return refuse(400, { errors: parsed.errors });
		const large = parsed.data.large === '1';
		rememberTextSize(cookies, large);
		if (locals.user) await setPreferences(db(), locals.user.accountId, { largeText: large });
		redirect(303, nextOf(form));
	}
};
