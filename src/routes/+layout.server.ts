import { config } from '$lib/server/config';
import { greetingName } from '$lib/server/auth/user';
import type { LayoutServerLoad } from './$types';

// Only whitelisted fields of the user reach the browser.
export const load: LayoutServerLoad = ({ locals, url }) => {
	const user = locals.user;
	return {
		locale: locals.locale,
		largeText: locals.largeText,
		path: url.pathname + url.search,
		user: user ? { name: greetingName(user), roles: [...new Set(user.roles.map((r) => r.role))] } : null,
		footer: { contactPhone: config().contactPhone, icpNumber: config().icpNumber }
	};
};
