import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { occurrenceView } from '$lib/server/booking/occurrences';
import { reserve } from '$lib/server/booking/reservations';
import { now } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { readForm, refuse } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import { bookingChoices, bookingPerson } from '$lib/server/households/households';
import type { Actions, PageServerLoad } from './$types';

// A fitness session or a training: public to look at, booking needs an account.
export const load: PageServerLoad = async ({ params, locals }) => {
	const occurrence = await occurrenceView(db(), routeId(params.id), locals.locale);
	if (!occurrence || occurrence.programme === 'doctor') error(404, { message: 'Not found' });
	const mine = locals.user
		? await db()
				.selectFrom('reservation')
				.select(['id', 'status'])
				.where('occurrence_id', '=', occurrence.id)
				.where('person_id', '=', locals.user.personId)
				.orderBy('id', 'desc')
				.executeTakeFirst()
		: null;
	return {
		occurrence: { ...occurrence, startsAt: occurrence.startsAt.toISOString(), endsAt: occurrence.endsAt.toISOString() },
		started: occurrence.startsAt.getTime() <= now().getTime(),
		mine: mine ?? null,
		choices: locals.user ? await bookingChoices(db(), locals.user.personId) : []
	};
};

export const actions: Actions = {
	reserve: async (event) => {
		const user = requireUser(event);
		const occurrenceId = routeId(event.params.id);
		// A carer books for a member of their household; any other id is refused, whatever the form says.
		const personId = await bookingPerson(db(), user.personId, (await readForm(event.request)).get('for'));
		if (personId === null) return refuse(403, { message: { key: 'booking.for.badPerson' } });
		const result = await reserve(db(), {
			occurrenceId,
			personId,
			actor: { accountId: user.accountId, personId: user.personId }
		});
		if (!result.ok) return refuse(result.reason === 'not-found' ? 404 : 409, { message: { key: `booking.refused.${result.reason}` } });
		return { booked: result.status, position: result.position, reservationId: result.reservationId };
	}
};
