import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

// "/me" on its own: the person's bookings are what they come for most.
export const load: PageServerLoad = (event) => {
	requireUser(event);
	redirect(303, '/me/reservations');
};
