import { requestPasswordReset } from '$lib/server/auth/links';
import { rateLimit } from '$lib/server/auth/throttle';
import { parseLogin, loginKey } from '$lib/server/auth/identifiers';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import { waitMessage } from '$lib/server/wait';
import type { Actions } from './$types';
import { linkOrigin } from '$lib/server/origin';

const schema = { login: fields.text({ max: 254 }) };
const PER_ADDRESS_PER_HOUR = 10;
const PER_LOGIN_PER_HOUR = 3;
const HOUR = 60 * 60_000;

export const actions: Actions = {
	default: async ({ request, url, getClientAddress }) => {
		const parsed = parseForm(schema, await readForm(request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const byAddress = await rateLimit(db(), `reset:address:${getClientAddress()}`, PER_ADDRESS_PER_HOUR, HOUR);
		if (!byAddress.ok) return refuse(429, { message: waitMessage('reset.throttled', byAddress.waitMs), values: parsed.values });
		// Per log-in too, silently: the answer must not show whether the account exists or was asked for.
		const byLogin = await rateLimit(db(), `reset:login:${loginKey(parseLogin(parsed.data.login))}`, PER_LOGIN_PER_HOUR, HOUR);
		if (byLogin.ok) await requestPasswordReset(db(), parsed.data.login, linkOrigin(url));
		return { sent: true };
	}
};
