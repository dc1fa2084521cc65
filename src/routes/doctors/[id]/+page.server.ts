import { error } from '@sveltejs/kit';
import { cached } from '$lib/server/cache';
import { isDateString, shanghaiDate } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { doctorRecord, localDoctor } from '$lib/server/doctors/directory';
import { fortnight } from '$lib/server/doctors/slots';
import { routeId } from '$lib/server/ids';
import type { PageServerLoad } from './$types';

/** The public free times may be this many milliseconds behind (booking always reads the database). */
const SLOTS_TTL_MS = 5_000;

// Public: a doctor's free times for the next fortnight. Booking asks to log in.
export const load: PageServerLoad = async ({ params, url, locals }) => {
	const id = routeId(params.id);
	const doctor = await cached(`doctor:${id}`, SLOTS_TTL_MS, () => doctorRecord(db(), id));
	if (!doctor || !doctor.active) error(404, { message: 'Not found' });
	const { days, slots } = await cached(`doctor-slots:${id}`, SLOTS_TTL_MS, () => fortnight(db(), id));
	const requested = url.searchParams.get('day');
	const day =
		requested && isDateString(requested) && days.some((d) => d.day === requested)
			? requested
			: (days.find((d) => d.free > 0)?.day ?? days[0]!.day);
	return {
		doctor: localDoctor(doctor, locals.locale),
		days,
		day,
		slots: slots
			.filter((s) => shanghaiDate(s.start) === day)
			.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString(), state: s.state }))
	};
};
