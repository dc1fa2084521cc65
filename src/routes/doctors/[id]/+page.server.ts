import { error } from '@sveltejs/kit';
import { isDateString } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { doctorRecord, localDoctor } from '$lib/server/doctors/directory';
import { bookableDays, slotStates } from '$lib/server/doctors/slots';
import { routeId } from '$lib/server/ids';
import type { PageServerLoad } from './$types';

// Public: a doctor's free times for the next fortnight. Booking asks to log in.
export const load: PageServerLoad = async ({ params, url, locals }) => {
	const doctor = await doctorRecord(db(), routeId(params.id));
	if (!doctor || !doctor.active) error(404, { message: 'Not found' });
	const days = await bookableDays(db(), doctor.id);
	const requested = url.searchParams.get('day');
	const day =
		requested && isDateString(requested) && days.some((d) => d.day === requested)
			? requested
			: (days.find((d) => d.free > 0)?.day ?? days[0]!.day);
	const slots = await slotStates(db(), doctor.id, day, day);
	return {
		doctor: localDoctor(doctor, locals.locale),
		days,
		day,
		slots: slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString(), state: s.state }))
	};
};
