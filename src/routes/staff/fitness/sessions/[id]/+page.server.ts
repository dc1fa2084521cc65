import { error, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { forget } from '$lib/server/cache';
import { shanghaiDate, shanghaiTime } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { sessionFields } from '$lib/server/fitness/schema';
import { cancelSession, editSession } from '$lib/server/fitness/sessions';
import { sessionForStaff } from '$lib/server/fitness/staff';
import { parseForm, readForm, refuse } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** The staff member and the session, or 404 when its space is not theirs (as if it did not exist). */
async function staffAndSession(event: RequestEvent) {
	const user = requireRole(event, 'staff');
	const session = await sessionForStaff(db(), user, routeId(event.params.id!));
	if (!session) error(404, { message: 'Not found' });
	return { user, session };
}

// One session of a weekly series: move it, change its places, or call it off — the rest of the
// series stays as it is.
export const load: PageServerLoad = async (event) => {
	const { session } = await staffAndSession(event);
	const en = event.locals.locale === 'en';
	return {
		session: {
			id: session.id,
			spaceId: session.space_id,
			space: en ? session.space_en : session.space_zh,
			title: en ? session.title_en : session.title_zh,
			startsAt: session.starts_at.toISOString(),
			endsAt: session.ends_at.toISOString(),
			capacity: session.capacity,
			held: session.held,
			cancelled: session.cancelled_at !== null
		},
		values: {
			date: shanghaiDate(session.starts_at),
			startTime: shanghaiTime(session.starts_at),
			endTime: shanghaiTime(session.ends_at),
			capacity: String(session.capacity)
		}
	};
};

export const actions: Actions = {
	edit: async (event) => {
		const { user, session } = await staffAndSession(event);
		const parsed = parseForm(sessionFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const d = parsed.data;
		if (d.endTime <= d.startTime) return refuse(400, { errors: { endTime: { key: 'error.endBeforeStart' } }, values: parsed.values });
		const result = await editSession(db(), user, session.id, d);
		if (result.ok) {
			forget('timetable:');
			return { done: 'edit' as const, moved: result.moved, offered: result.offered };
		}
		switch (result.reason) {
			case 'below-held':
				return refuse(409, {
					errors: { capacity: { key: 'fitness.staff.belowHeld', params: { held: result.held } } },
					values: parsed.values
				});
			case 'clashes':
				return refuse(409, { message: { key: 'fitness.staff.clashes', params: { people: result.clashes } }, values: parsed.values });
			case 'started':
				return refuse(409, { message: { key: 'fitness.staff.alreadyStarted' }, values: parsed.values });
			case 'cancelled':
				return refuse(409, { message: { key: 'booking.refused.cancelled' }, values: parsed.values });
			default:
				error(404, { message: 'Not found' });
		}
	},
	cancel: async (event) => {
		const { user, session } = await staffAndSession(event);
		const result = await cancelSession(db(), user, session.id);
		if (!result.ok) error(404, { message: 'Not found' });
		forget('timetable:');
		redirect(303, `/staff/fitness/spaces/${session.space_id}?cancelled=${result.people}`);
	}
};
