import { error, fail } from '@sveltejs/kit';
import type { Refusal } from '$lib/forms';
import { requireRole } from '$lib/server/auth/guard';
import { forget } from '$lib/server/cache';
import { shanghaiInstant } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { WEEKDAYS, closureFields, openingHoursFields, seriesFields, spaceFields } from '$lib/server/fitness/schema';
import { cancelSeries, cancelSession, closeSpace, createSeries } from '$lib/server/fitness/sessions';
import { openingHours, setOpeningHours, updateSpace, type OpeningHours } from '$lib/server/fitness/spaces';
import { seriesOfSpace, spaceForStaff, upcomingSessions } from '$lib/server/fitness/staff';
import { fields, parseForm, readForm, refuseStale } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import { staffCommunityOptions } from '$lib/server/people/staff-scope';
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** The staff member and the space, or 404 when the space is not theirs (as if it did not exist). */
async function staffAndSpace(event: RequestEvent) {
	const user = requireRole(event, 'staff');
	const space = await spaceForStaff(db(), user, routeId(event.params.id!));
	if (!space) error(404, { message: 'Not found' });
	return { user, space };
}

export const load: PageServerLoad = async (event) => {
	const { user, space } = await staffAndSpace(event);
	const locale = event.locals.locale;
	return {
		space: {
			id: space.id,
			name: locale === 'en' ? space.name_en : space.name_zh,
			values: {
				communityId: String(space.community_id),
				nameZh: space.name_zh,
				nameEn: space.name_en,
				addressZh: space.address_zh,
				addressEn: space.address_en,
				directionsZh: space.directions_zh ?? '',
				directionsEn: space.directions_en ?? '',
				contact: space.contact ?? '',
				capacity: String(space.capacity),
				facilitiesZh: space.facilities_zh ?? '',
				facilitiesEn: space.facilities_en ?? ''
			},
			stepFree: space.step_free
		},
		hours: Object.fromEntries(
			(await openingHours(db(), space.id)).flatMap((h) => [
				[`opens${h.weekday}`, h.opens],
				[`closes${h.weekday}`, h.closes]
			])
		),
		created: event.url.searchParams.has('created'),
		cancelledPeople: /^\d{1,6}$/.test(event.url.searchParams.get('cancelled') ?? '')
			? Number(event.url.searchParams.get('cancelled'))
			: null,
		series: await seriesOfSpace(db(), space.id, locale),
		sessions: await upcomingSessions(db(), space.id, locale),
		communities: await staffCommunityOptions(db(), user, locale)
	};
};

/** The page has four forms sharing `form`: a refusal names the one it belongs to. */
function refuseIn(form: 'space' | 'hours' | 'series' | 'closure', refusal: Refusal) {
	return fail(400, { form, ...refusal });
}

export const actions: Actions = {
	update: async (event) => {
		const { user, space } = await staffAndSpace(event);
		const parsed = parseForm(spaceFields, await readForm(event.request));
		if (!parsed.ok) return refuseIn('space', { errors: parsed.errors, values: parsed.values });
		const result = await updateSpace(db(), user, space.id, parsed.data);
		if (!result.ok) error(403, { message: 'Forbidden' });
		forget('timetable:', 'spaces:');
		return { done: 'update' as const };
	},
	hours: async (event) => {
		const { user, space } = await staffAndSpace(event);
		const parsed = parseForm(openingHoursFields, await readForm(event.request));
		if (!parsed.ok) return refuseIn('hours', { errors: parsed.errors, values: parsed.values });
		const hours: OpeningHours = [];
		const errors: Record<string, { key: 'fitness.staff.hoursBoth' | 'error.endBeforeStart' }> = {};
		for (const weekday of WEEKDAYS) {
			const opens = parsed.data[`opens${weekday}`];
			const closes = parsed.data[`closes${weekday}`];
			if (!opens && !closes) continue;
			if (!opens || !closes) errors[opens ? `closes${weekday}` : `opens${weekday}`] = { key: 'fitness.staff.hoursBoth' };
			else if (closes <= opens) errors[`closes${weekday}`] = { key: 'error.endBeforeStart' };
			else hours.push({ weekday, opens, closes });
		}
		if (Object.keys(errors).length) return refuseIn('hours', { errors, values: parsed.values });
		const result = await setOpeningHours(db(), user, space.id, hours);
		if (!result.ok) error(403, { message: 'Forbidden' });
		forget('timetable:', 'spaces:');
		return { done: 'hours' as const };
	},
	createSeries: async (event) => {
		const { user, space } = await staffAndSpace(event);
		const parsed = parseForm(seriesFields, await readForm(event.request));
		if (!parsed.ok) return refuseIn('series', { errors: parsed.errors, values: parsed.values });
		const d = parsed.data;
		if (d.endTime <= d.startTime)
			return refuseIn('series', { errors: { endTime: { key: 'error.endBeforeStart' } }, values: parsed.values });
		if (d.validTo < d.validFrom) return refuseIn('series', { errors: { validTo: { key: 'error.endBeforeStart' } }, values: parsed.values });
		const result = await createSeries(db(), user, { ...d, spaceId: space.id, weekday: Number(d.weekday) });
		if (!result.ok) {
			if (result.reason === 'too-long')
				return refuseIn('series', { errors: { validTo: { key: 'fitness.staff.tooLong' } }, values: parsed.values });
			error(403, { message: 'Forbidden' });
		}
		forget('timetable:', 'spaces:');
		return { done: 'createSeries' as const, sessions: result.sessions };
	},
	cancelSeries: async (event) => {
		const { user } = await staffAndSpace(event);
		const parsed = parseForm({ seriesId: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		const result = await cancelSeries(db(), user, parsed.data.seriesId);
		if (!result.ok) error(404, { message: 'Not found' });
		forget('timetable:', 'spaces:');
		return { done: 'cancelSeries' as const };
	},
	cancelSession: async (event) => {
		const { user } = await staffAndSpace(event);
		const parsed = parseForm({ occurrenceId: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		const result = await cancelSession(db(), user, parsed.data.occurrenceId);
		if (!result.ok) error(404, { message: 'Not found' });
		forget('timetable:', 'spaces:');
		return { done: 'cancelSession' as const };
	},
	close: async (event) => {
		const { user, space } = await staffAndSpace(event);
		const parsed = parseForm(closureFields, await readForm(event.request));
		if (!parsed.ok) return refuseIn('closure', { errors: parsed.errors, values: parsed.values });
		const d = parsed.data;
		const startsAt = shanghaiInstant(d.fromDate, d.fromTime);
		const endsAt = shanghaiInstant(d.toDate, d.toTime);
		if (endsAt <= startsAt) return refuseIn('closure', { errors: { toDate: { key: 'error.endBeforeStart' } }, values: parsed.values });
		const result = await closeSpace(db(), user, { spaceId: space.id, startsAt, endsAt, reasonZh: d.reasonZh, reasonEn: d.reasonEn });
		if (!result.ok) error(403, { message: 'Forbidden' });
		forget('timetable:', 'spaces:');
		return { done: 'close' as const, sessions: result.sessions, people: result.people };
	}
};
