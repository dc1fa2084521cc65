import { fail } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { now } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { memberLabels, reservationHolder } from '$lib/server/households/households';
import { cancelAppointment } from '$lib/server/doctors/appointments';
import { refusalKey } from '$lib/server/doctors/model';
import { appointmentsOf } from '$lib/server/doctors/views';
import { fields, parseForm, readForm, refuseStale } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	// The person's own appointments and those of the family members they look after, labelled.
	const labels = await memberLabels(db(), user.personId);
	const all = (await appointmentsOf(db(), [user.personId, ...labels.keys()], event.locals.locale)).map((a) => ({
		...a,
		forName: labels.get(a.personId) ?? null
	}));
	const at = now().getTime();
	return {
		upcoming: all.filter((a) => Date.parse(a.endsAt) > at),
		past: all
			.filter((a) => Date.parse(a.endsAt) <= at)
			.reverse()
			.slice(0, 50)
	};
};

export const actions: Actions = {
	cancel: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm({ id: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		// Someone else's appointment is "not found": the service only looks among this person's.
		const holder = await reservationHolder(db(), user.personId, parsed.data.id);
		const result = await cancelAppointment(db(), {
			appointmentId: parsed.data.id,
			personId: holder,
			actor: { accountId: user.accountId, personId: user.personId }
		});
		if (!result.ok) return fail(result.reason === 'not-found' ? 404 : 409, { message: { key: refusalKey(result.reason) } });
		return { cancelled: true };
	}
};
