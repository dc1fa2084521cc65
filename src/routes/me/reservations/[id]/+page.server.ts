import { error, redirect } from '@sveltejs/kit';
import { reservationPage } from '$lib/pages';
import { requireUser } from '$lib/server/auth/guard';
import { reservationOf } from '$lib/server/booking/queries';
import { db } from '$lib/server/db';
import { holderName, reservationHolder } from '$lib/server/households/households';
import { routeId } from '$lib/server/ids';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const id = routeId(event.params.id);
	const holder = await reservationHolder(db(), user.personId, id);
	// A family member's booking opens for the carer too; someone else's reservation is simply not found.
	const r = await reservationOf(db(), holder, id, event.locals.locale);
	if (!r) error(404, { message: 'Not found' });
	// An appointment's own page has what this one lacks (reschedule, the studio, the doctor's cut-off).
	if (r.programme === 'doctor') redirect(303, reservationPage(r.programme, r.id));
	return {
		reservation: {
			...r,
			startsAt: r.startsAt.toISOString(),
			endsAt: r.endsAt.toISOString(),
			offerExpiresAt: r.offerExpiresAt?.toISOString() ?? null
		},
		holder: await holderName(db(), holder),
		// Back from taking up an offer (the offer page redirects here).
		accepted: event.url.searchParams.has('accepted') && r.status === 'reserved'
	};
};
