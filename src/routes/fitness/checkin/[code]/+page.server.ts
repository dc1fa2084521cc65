import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { checkIn } from '$lib/server/booking/reservations';
import { db } from '$lib/server/db';
import { checkinCandidates, spaceByCheckinCode } from '$lib/server/fitness/checkin';
import { fields, parseForm, readForm, refuse, refuseStale } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// Scanning the poster only opens this page (through log-in and back when needed); checking in is
// the button's POST, so a preview or a scanner that follows links changes nothing.
export const load: PageServerLoad = async (event) => {
	const space = await spaceByCheckinCode(db(), event.params.code, event.locals.locale);
	if (!space) error(404, { message: 'Not found' });
	const user = requireUser(event);
	return { space, candidates: await checkinCandidates(db(), user.personId, space.id, event.locals.locale) };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const space = await spaceByCheckinCode(db(), event.params.code, event.locals.locale);
		if (!space) error(404, { message: 'Not found' });
		const parsed = parseForm({ reservationId: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		// Only a reservation of this person, at this space, on now.
		const candidates = await checkinCandidates(db(), user.personId, space.id, event.locals.locale);
		if (!candidates.some((c) => c.reservationId === parsed.data.reservationId))
			return refuse(409, { message: { key: 'booking.refused.check-in-closed' } });
		const result = await checkIn(db(), {
			reservationId: parsed.data.reservationId,
			actor: { accountId: user.accountId, personId: user.personId }
		});
		if (!result.ok) return refuse(409, { message: { key: `booking.refused.${result.reason}` } });
		return { checkedIn: true };
	}
};
