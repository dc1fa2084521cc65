import { fail } from '@sveltejs/kit';
import { lookupAllowed } from '$lib/server/certificates/lookup-limit';
import { logLimited, verifyByNumber } from '$lib/server/certificates/verify';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const lookupFields = { number: fields.text({ max: 40 }), familyName: fields.text({ max: 20 }) };

export const load: PageServerLoad = async ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	return {};
};

// A POST, so that the family name never ends up in a URL (or a proxy's log).
export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(lookupFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const allowed = await lookupAllowed(event);
		if (!allowed.ok) {
			await logLimited(db(), 'number', parsed.data.number);
			return fail(429, {
				message: { key: 'verify.limited' as const, params: { seconds: allowed.seconds } },
				values: { number: parsed.data.number }
			});
		}
		const result = await verifyByNumber(db(), parsed.data, event.locals.locale);
		if (result.status === 'malformed')
			return refuse(400, {
				errors: { number: { key: 'verify.malformed' } },
				values: { number: parsed.data.number, familyName: parsed.data.familyName }
			});
		return { result, values: { number: parsed.data.number } };
	}
};
