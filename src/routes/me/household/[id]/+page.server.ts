import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { reservationsOf } from '$lib/server/booking/queries';
import { db } from '$lib/server/db';
import { appointmentsOf } from '$lib/server/doctors/views';
import { memberName, membersOf } from '$lib/server/households/households';
import { routeId } from '$lib/server/ids';
import type { PageServerLoad } from './$types';

// One family member's bookings, for the carer who looks after them now (anyone else: not found).
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const member = (await membersOf(db(), user.personId)).find((m) => m.personId === routeId(event.params.id));
	if (!member) error(404, { message: 'Not found' });
	const locale = event.locals.locale;
	const [appointments, reservations] = await Promise.all([
		appointmentsOf(db(), member.personId, locale),
		reservationsOf(db(), member.personId, locale)
	]);
	return {
		name: memberName(member),
		appointments,
		reservations: reservations
			.filter((r) => r.programme !== 'doctor')
			.map((r) => ({
				...r,
				startsAt: r.startsAt.toISOString(),
				endsAt: r.endsAt.toISOString(),
				offerExpiresAt: r.offerExpiresAt?.toISOString() ?? null
			}))
	};
};
