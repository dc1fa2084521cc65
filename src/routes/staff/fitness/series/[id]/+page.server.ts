import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { forget } from '$lib/server/cache';
import { db } from '$lib/server/db';
import { seriesChangeFields } from '$lib/server/fitness/schema';
import { editSeries } from '$lib/server/fitness/sessions';
import { seriesForStaff } from '$lib/server/fitness/staff';
import { parseForm, readForm, refuse } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** The staff member and the series, or 404 when its space is not theirs (as if it did not exist). */
async function staffAndSeries(event: RequestEvent) {
	const user = requireRole(event, 'staff');
	const series = await seriesForStaff(db(), user, routeId(event.params.id!));
	if (!series) error(404, { message: 'Not found' });
	return { user, series };
}

// A weekly series from now on: names, instructor, places, time of day.
export const load: PageServerLoad = async (event) => {
	const { series } = await staffAndSeries(event);
	const en = event.locals.locale === 'en';
	return {
		series: {
			id: series.id,
			spaceId: series.space_id,
			space: en ? series.space_en : series.space_zh,
			title: en ? series.title_en : series.title_zh,
			weekday: series.weekday,
			validFrom: series.valid_from,
			validTo: series.valid_to,
			cancelled: series.cancelled_at !== null
		},
		values: {
			titleZh: series.title_zh,
			titleEn: series.title_en,
			instructor: series.instructor ?? '',
			capacity: String(series.capacity),
			startTime: series.start_time.slice(0, 5),
			endTime: series.end_time.slice(0, 5)
		}
	};
};

export const actions: Actions = {
	default: async (event) => {
		const { user, series } = await staffAndSeries(event);
		const parsed = parseForm(seriesChangeFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const d = parsed.data;
		if (d.endTime <= d.startTime) return refuse(400, { errors: { endTime: { key: 'error.endBeforeStart' } }, values: parsed.values });
		const result = await editSeries(db(), user, series.id, d);
		if (result.ok) {
			forget('timetable:');
			return { done: true as const, sessions: result.sessions, people: result.moved };
		}
		switch (result.reason) {
			case 'below-held':
				return refuse(409, {
					errors: { capacity: { key: 'fitness.staff.seriesBelowHeld', params: { held: result.held, date: result.date } } },
					values: parsed.values
				});
			case 'clashes':
				return refuse(409, {
					message: { key: 'fitness.staff.seriesClashes', params: { people: result.clashes, date: result.date } },
					values: parsed.values
				});
			case 'cancelled':
				return refuse(409, { message: { key: 'fitness.staff.seriesCancelled' }, values: parsed.values });
			default:
				error(404, { message: 'Not found' });
		}
	}
};
