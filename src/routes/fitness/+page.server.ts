import { addDays, isCalendarDate, startOfWeek, today } from '$lib/server/clock';
import { communityOptions } from '$lib/server/communities';
import { cached, publicPageHeaders } from '$lib/server/cache';
import { db } from '$lib/server/db';
import { parseId } from '$lib/server/ids';
import { spaces } from '$lib/server/fitness/spaces';
import { timetable } from '$lib/server/fitness/sessions';
import type { PageServerLoad } from './$types';

/** The public timetable may be this many milliseconds behind (booking always reads the database). */
const TIMETABLE_TTL_MS = 5_000;

const positiveId = (raw: string | null) => parseId(raw) ?? undefined;

// The public timetable: no login, never who booked.
export const load: PageServerLoad = async ({ url, locals, setHeaders }) => {
	const requested = url.searchParams.get('week');
	const weekStart = startOfWeek(requested && isCalendarDate(requested) ? requested : today());
	const communityId = positiveId(url.searchParams.get('community'));
	const spaceId = positiveId(url.searchParams.get('space'));
	const [entries, communities, spaceList] = await Promise.all([
		cached(`timetable:${locals.locale}:${weekStart}:${communityId ?? ''}:${spaceId ?? ''}`, TIMETABLE_TTL_MS, () =>
			timetable(db(), locals.locale, { weekStart, communityId, spaceId })
		),
		cached(`communities:${locals.locale}`, TIMETABLE_TTL_MS, () => communityOptions(db(), locals.locale)),
		cached(`spaces:${locals.locale}:${communityId ?? ''}`, TIMETABLE_TTL_MS, () => spaces(db(), locals.locale, { communityId }))
	]);
	setHeaders(publicPageHeaders(locals.user !== null));
	const days = Array.from({ length: 7 }, (_, i) => addDays(weekStart, i));
	return {
		weekStart,
		weekEnd: addDays(weekStart, 6),
		prevWeek: addDays(weekStart, -7),
		nextWeek: addDays(weekStart, 7),
		thisWeek: startOfWeek(today()),
		communityId: communityId ?? null,
		spaceId: spaceId ?? null,
		communities,
		spaces: spaceList.map((s) => ({ value: String(s.id), label: s.name })),
		days: days.map((day) => ({
			day,
			entries: entries
				.filter(
					(e) =>
						e.startsAt.getTime() >= Date.parse(`${day}T00:00:00+08:00`) &&
						e.startsAt.getTime() < Date.parse(`${addDays(day, 1)}T00:00:00+08:00`)
				)
				.map((e) => ({ ...e, startsAt: e.startsAt.toISOString(), endsAt: e.endsAt.toISOString() }))
		}))
	};
};
