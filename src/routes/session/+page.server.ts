import { requireUser } from '$lib/server/auth/guard';
import { extendSession } from '$lib/server/auth/session';
import { sessionLeft } from '$lib/server/auth/session-left';
import { db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

// The session's own page: how long it lasts, and "stay logged in" (the warning's form posts here).
export const load: PageServerLoad = (event) => {
	requireUser(event);
	return { left: sessionLeft(event.locals.session!) };
};

export const actions: Actions = {
	extend: async (event) => {
		requireUser(event);
		const session = await extendSession(db(), event.locals.session!);
		event.locals.session = session;
		return { extended: true, left: sessionLeft(session) };
	}
};
