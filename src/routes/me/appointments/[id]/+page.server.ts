import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { appointmentOf } from '$lib/server/doctors/views';
import { routeId } from '$lib/server/ids';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// Someone else's appointment is simply not found.
	const appointment = await appointmentOf(db(), user.personId, routeId(event.params.id), event.locals.locale);
	if (!appointment) error(404, { message: 'Not found' });
	return {
		appointment,
		holder: `${user.familyName}${user.givenName}`,
		booked: event.url.searchParams.has('booked'),
		moved: event.url.searchParams.has('moved')
	};
};
