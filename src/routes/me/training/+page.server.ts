import { requireUser } from '$lib/server/auth/guard';
import { reservationsOf } from '$lib/server/booking/queries';
import { cancel } from '$lib/server/booking/reservations';
import { now } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { memberLabels, reservationHolder } from '$lib/server/households/households';
import { fields, parseForm, readForm, refuse, refuseStale } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// The person's own trainings: offers to answer, what is coming (with the waitlist position), the past.
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// The person's own reservations and those of the family members they look after, labelled.
	const labels = await memberLabels(db(), user.personId);
	const all = await reservationsOf(db(), [user.personId, ...labels.keys()], event.locals.locale, 'training');
	const at = now().getTime();
	const serialise = (r: (typeof all)[number]) => ({
		...r,
		forName: labels.get(r.personId) ?? null,
		startsAt: r.startsAt.toISOString(),
		endsAt: r.endsAt.toISOString(),
		offerExpiresAt: r.offerExpiresAt?.toISOString() ?? null
	});
	return {
		upcoming: all.filter((r) => r.endsAt.getTime() > at && !['cancelled', 'late_cancelled'].includes(r.status)).map(serialise),
		past: all
			.filter((r) => r.endsAt.getTime() <= at || ['cancelled', 'late_cancelled'].includes(r.status))
			.reverse()
			.slice(0, 50)
			.map(serialise)
	};
};

export const actions: Actions = {
	withdraw: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm({ id: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		// The core checks that the enrolment is this person's; anyone else's is "not found".
		const holder = await reservationHolder(db(), user.personId, parsed.data.id);
		const result = await cancel(db(), { reservationId: parsed.data.id, actor: { accountId: user.accountId, personId: holder } });
		if (!result.ok)
			return refuse(result.reason === 'not-yours' || result.reason === 'not-found' ? 404 : 409, {
				message: { key: `booking.refused.${result.reason}` }
			});
		return { withdrawn: result.status };
	}
};
