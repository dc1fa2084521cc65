import { requireUser } from '$lib/server/auth/guard';
import { reservationsOf } from '$lib/server/booking/queries';
import { cancel } from '$lib/server/booking/reservations';
import { now } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { memberLabels } from '$lib/server/households/households';
import { fields, parseForm, readForm, refuse, refuseStale } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// The person's own reservations and those of the family members they look after, labelled.
	const labels = await memberLabels(db(), user.personId);
	const all = await reservationsOf(db(), [user.personId, ...labels.keys()], event.locals.locale);
	const at = now().getTime();
	const serialise = (r: (typeof all)[number]) => ({
		...r,
		forName: labels.get(r.personId) ?? null,
		startsAt: r.startsAt.toISOString(),
		endsAt: r.endsAt.toISOString(),
		offerExpiresAt: r.offerExpiresAt?.toISOString() ?? null
	});
	return {
		offers: all.filter((r) => r.status === 'offered').map(serialise),
		upcoming: all.filter((r) => r.endsAt.getTime() > at && r.status !== 'offered').map(serialise),
		past: all
			.filter((r) => r.endsAt.getTime() <= at)
			.reverse()
			.slice(0, 50)
			.map(serialise)
	};
};

export const actions: Actions = {
	cancel: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm({ id: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		// The core checks that the reservation is this person's or a member's they look after; another id is "not found".
		const result = await cancel(db(), { reservationId: parsed.data.id, actor: { accountId: user.accountId, personId: user.personId } });
		if (!result.ok)
			return refuse(result.reason === 'not-yours' || result.reason === 'not-found' ? 404 : 409, {
				message: { key: `booking.refused.${result.reason}` }
			});
		return { cancelled: result.status };
	}
};
