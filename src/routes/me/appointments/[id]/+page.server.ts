import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { holderName, reservationHolder } from '$lib/server/households/households';
import { appointmentOf } from '$lib/server/doctors/views';
import { routeId } from '$lib/server/ids';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const id = routeId(event.params.id);
	const holder = await reservationHolder(db(), user.personId, id);
	// A family member's booking opens for the carer too; someone else's appointment is simply not found.
	const appointment = await appointmentOf(db(), holder, id, event.locals.locale);
	if (!appointment) error(404, { message: 'Not found' });
	return {
		appointment,
		holder: await holderName(db(), holder),
		booked: event.url.searchParams.has('booked'),
		moved: event.url.searchParams.has('moved')
	};
};
