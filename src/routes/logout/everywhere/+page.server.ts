import { redirect } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { clearSessionCookie, invalidateAccountSessions } from '$lib/server/auth/session';
import { db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ signedIn: locals.user !== null });

// Its own route, so that a plain POST to /logout keeps meaning "log out here".
export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.user) {
			await invalidateAccountSessions(db(), locals.user.accountId);
			await audit(db(), {
				actorAccountId: locals.user.accountId,
				action: 'account.logout_everywhere',
				subjectType: 'account',
				subjectId: locals.user.accountId
			});
		}
		clearSessionCookie(cookies);
		redirect(303, '/');
	}
};
