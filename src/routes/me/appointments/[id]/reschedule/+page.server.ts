import { error, fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { isDateString } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { reschedule } from '$lib/server/doctors/appointments';
import { reservationHolder } from '$lib/server/households/households';
import { refusalKey } from '$lib/server/doctors/model';
import { moveFields } from '$lib/server/doctors/schema';
import { bookableDays, slotStates } from '$lib/server/doctors/slots';
import { appointmentOf } from '$lib/server/doctors/views';
import { parseForm, readForm, refuseStale } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const id = routeId(event.params.id);
	// A member's appointment moves for their carer too, under the member's rules; anyone else's is not found.
	const appointment = await appointmentOf(db(), await reservationHolder(db(), user.personId, id), id, event.locals.locale);
	if (!appointment) error(404, { message: 'Not found' });
	if (appointment.status !== 'reserved') redirect(303, `/me/appointments/${appointment.id}`);
	const days = await bookableDays(db(), appointment.doctorId);
	const requested = event.url.searchParams.get('day');
	const day =
		requested && isDateString(requested) && days.some((d) => d.day === requested)
			? requested
			: (days.find((d) => d.free > 0)?.day ?? days[0]!.day);
	const slots = await slotStates(db(), appointment.doctorId, day, day);
	return {
		appointment,
		days,
		day,
		slots: slots.filter((s) => s.state === 'free').map((s) => ({ start: s.start.toISOString() }))
	};
};

export const actions: Actions = {
	move: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(moveFields, await readForm(event.request));
		// The time comes from the button the person pressed: nothing to mark next to a field.
		if (!parsed.ok) return refuseStale();
		const id = routeId(event.params.id);
		const result = await reschedule(db(), {
			appointmentId: id,
			personId: await reservationHolder(db(), user.personId, id),
			actor: { accountId: user.accountId, personId: user.personId },
			start: parsed.data.start
		});
		if (!result.ok) {
			return fail(result.reason === 'not-found' ? 404 : 409, {
				message: { key: refusalKey(result.reason) },
				nearest: (result.nearest ?? []).map((s) => ({ start: s.start.toISOString() }))
			});
		}
		redirect(303, `/me/appointments/${result.appointmentId}?moved=1`);
	}
};
