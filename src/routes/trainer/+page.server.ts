import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { sessionJson, sessionsOfTrainer } from '$lib/server/training/sessions';
import type { PageServerLoad } from './$types';

// The trainer's own sessions, recent and coming; nobody else's.
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'trainer');
	return { sessions: (await sessionsOfTrainer(db(), user.accountId, event.locals.locale)).map(sessionJson) };
};
