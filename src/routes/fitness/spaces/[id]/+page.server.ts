import { error } from '@sveltejs/kit';
import { cached, publicPageHeaders } from '$lib/server/cache';
import { startOfWeek, today } from '$lib/server/clock';
import { communityOptions } from '$lib/server/communities';
import { db } from '$lib/server/db';
import { timetable } from '$lib/server/fitness/sessions';
import { openingHours, spaces, upcomingClosures } from '$lib/server/fitness/spaces';
import { routeId } from '$lib/server/ids';
import type { PageServerLoad } from './$types';

const TTL_MS = 5_000;

// A space's public page: where it is, when it is open, closures ahead and this week's sessions.
export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	const id = routeId(params.id);
	const [space] = await spaces(db(), locals.locale, { ids: [id] });
	if (!space) error(404, { message: 'Not found' });
	const weekStart = startOfWeek(today());
	const [hours, closures, entries, communities] = await Promise.all([
		openingHours(db(), id),
		upcomingClosures(db(), id, locals.locale),
		cached(`timetable:${locals.locale}:${weekStart}::${id}`, TTL_MS, () => timetable(db(), locals.locale, { weekStart, spaceId: id })),
		cached(`communities:${locals.locale}`, TTL_MS, () => communityOptions(db(), locals.locale))
	]);
	setHeaders(publicPageHeaders(locals.user !== null));
	return {
		space: { ...space, community: communities.find((c) => Number(c.value) === space.communityId)?.label ?? '' },
		hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, spans: hours.filter((h) => h.weekday === weekday) })),
		anyHours: hours.length > 0,
		closures,
		weekStart,
		entries: entries.map((e) => ({ ...e, startsAt: e.startsAt.toISOString(), endsAt: e.endsAt.toISOString() }))
	};
};
