import { config } from '$lib/server/config';
import { greetingName } from '$lib/server/auth/user';
import { sessionLeft } from '$lib/server/auth/session-left';
import { db } from '$lib/server/db';
import { unreadCount } from '$lib/server/notifications/notify';
import type { LayoutServerLoad } from './$types';

// Only whitelisted fields of the user reach the browser.
export const load: LayoutServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	return {
		locale: locals.locale,
		largeText: locals.largeText,
		path: url.pathname + url.search,
		user: user
			? {
					name: greetingName(user),
					roles: [...new Set(user.roles.map((r) => r.role))],
					unread: locals.unread ?? (await unreadCount(db(), user.personId))
				}
			: null,
		session: locals.session ? sessionLeft(locals.session) : null,
		footer: { contactPhone: config().contactPhone, icpNumber: config().icpNumber }
	};
};
