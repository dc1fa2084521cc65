import { reservationsOf } from '$lib/server/booking/queries';
import { calendarItems } from '$lib/server/calendar/feed';
import { now } from '$lib/server/clock';
import { db } from '$lib/server/db';
import type { PageServerLoad } from './$types';

const UPCOMING = 5;

// The resident's starting point: what comes next, from every module that contributes calendar items.
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) return { upcoming: null, offers: [] };
	const at = now().getTime();
	const items = await calendarItems(db(), locals.user.personId, locals.locale);
	const upcoming = items.filter((i) => i.end.getTime() > at).slice(0, UPCOMING);
	const offers = (await reservationsOf(db(), locals.user.personId, locals.locale)).filter((r) => r.status === 'offered');
	return {
		offers: offers.map((o) => ({
			id: o.id,
			title: o.title,
			startsAt: o.startsAt.toISOString(),
			offerExpiresAt: o.offerExpiresAt?.toISOString() ?? null
		})),
		upcoming: upcoming.map((i) => ({
			uid: i.uid,
			title: i.title,
			start: i.start.toISOString(),
			location: i.location ?? null,
			url: i.url ?? null,
			cancelled: i.cancelled
		}))
	};
};
