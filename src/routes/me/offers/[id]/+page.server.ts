import { error, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { reservationOf } from '$lib/server/booking/queries';
import type { Refusal } from '$lib/server/booking/model';
import { acceptOffer, cancel } from '$lib/server/booking/reservations';
import { db } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { holderName, reservationHolder } from '$lib/server/households/households';
import { routeId } from '$lib/server/ids';
import type { Actions, PageServerLoad } from './$types';

// Showing an offer never accepts it: only the POST of this page does (links get prefetched and scanned).
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const id = routeId(event.params.id);
	// A member's offer opens for their carer too (the carer's copy of the notice links here).
	const holder = await reservationHolder(db(), user.personId, id);
	const r = await reservationOf(db(), holder, id, event.locals.locale);
	if (!r) error(404, { message: 'Not found' });
	return {
		offer: {
			id: r.id,
			title: r.title,
			status: r.status,
			startsAt: r.startsAt.toISOString(),
			offerExpiresAt: r.offerExpiresAt?.toISOString() ?? null
		},
		forName: holder === user.personId ? null : await holderName(db(), holder)
	};
};

// The core decides whether the person may act on it (their own, or a member's they look after now).
const refused = (reason: Refusal) =>
	refuse(reason === 'not-yours' || reason === 'not-found' ? 404 : 409, { message: { key: `booking.refused.${reason}` } });

export const actions: Actions = {
	accept: async (event) => {
		const user = requireUser(event);
		const result = await acceptOffer(db(), {
			reservationId: routeId(event.params.id),
			actor: { accountId: user.accountId, personId: user.personId }
		});
		if (!result.ok) return refused(result.reason);
		redirect(303, `/me/reservations/${event.params.id}?accepted`);
	},
	decline: async (event) => {
		const user = requireUser(event);
		const result = await cancel(db(), {
			reservationId: routeId(event.params.id),
			actor: { accountId: user.accountId, personId: user.personId },
			reason: 'offer_declined',
			onlyOffered: true
		});
		if (!result.ok) return refused(result.reason);
		redirect(303, '/me/reservations');
	}
};
