import { error, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { routeId } from '$lib/server/ids';
import { sessionView } from '$lib/server/training/sessions';
import { ownSession } from '$lib/server/training/trainer';

/** The trainer and the session, when it is theirs; anyone else's is a plain 404. */
export async function trainerSession(event: RequestEvent<{ id: string }>) {
	const user = requireRole(event, 'trainer');
	const id = routeId(event.params.id);
	const own = await ownSession(db(), user.accountId, id);
	const view = own ? await sessionView(db(), id, event.locals.locale) : null;
	if (!own || !view) error(404, { message: 'Not found' });
	return { user, own, view };
}
