import { error, fail } from '@sveltejs/kit';
import { addDays, isCalendarDate, startOfWeek, today } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { requireDoctor } from '$lib/server/doctors/guard';
import { cancelDay, markVisit } from '$lib/server/doctors/practice';
import { cancelDayFields } from '$lib/server/doctors/schema';
import { agenda } from '$lib/server/doctors/views';
import { fields, parseForm, readForm, refuseStale } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// The doctor's own agenda: a day or a week, with each patient's name, phone and note.
export const load: PageServerLoad = async (event) => {
	const { doctor } = await requireDoctor(event);
	if (!doctor) return { doctor: null };
	const week = event.url.searchParams.get('view') === 'week';
	const requested = event.url.searchParams.get('day');
	const day = requested && isCalendarDate(requested) ? requested : today();
	const from = week ? startOfWeek(day) : day;
	const to = week ? addDays(from, 6) : day;
	const step = week ? 7 : 1;
	return {
		doctor: { name: doctor.name, studio: event.locals.locale === 'en' ? doctor.studio.en : doctor.studio.zh },
		week,
		day,
		from,
		to,
		today: today(),
		prev: addDays(day, -step),
		next: addDays(day, step),
		// Back from moving an appointment (the move page redirects here, to the new day).
		moved: event.url.searchParams.has('moved'),
		appointments: await agenda(db(), doctor.id, from, to, event.locals.locale)
	};
};

async function doctorFor(event: Parameters<typeof requireDoctor>[0]) {
	const { doctor } = await requireDoctor(event);
	if (!doctor) error(403, { message: 'Forbidden' });
	return doctor;
}

export const actions: Actions = {
	mark: async (event) => {
		const doctor = await doctorFor(event);
		const parsed = parseForm({ id: fields.id(), outcome: fields.choice(['attended', 'no_show'] as const) }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		const result = await markVisit(db(), doctor, { appointmentId: parsed.data.id, outcome: parsed.data.outcome });
		if (!result.ok)
			return fail(result.reason === 'not-found' ? 404 : 409, { message: { key: `doctor.refused.${result.reason}` as const } });
		return { marked: parsed.data.id };
	},
	cancelDay: async (event) => {
		const doctor = await doctorFor(event);
		const parsed = parseForm(cancelDayFields, await readForm(event.request));
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = await cancelDay(db(), doctor, parsed.data);
		if (!result.ok) return fail(409, { errors: { day: { key: `doctor.refused.${result.reason}` as const } }, values: parsed.values });
		return { dayCancelled: result.people };
	}
};
