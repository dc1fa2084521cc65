import { error, fail, redirect } from '@sveltejs/kit';
import { isDateString, shanghaiDate } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { requireDoctor } from '$lib/server/doctors/guard';
import { movableAppointment, moveByDoctor } from '$lib/server/doctors/moves';
import { doctorMoveFields } from '$lib/server/doctors/schema';
import { bookableDays, slotStates } from '$lib/server/doctors/slots';
import { parseForm, readForm } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// The doctor moves one of their own upcoming appointments to another of their free slots.
async function ownAppointment(event: Pick<RequestEvent, 'locals' | 'url' | 'params'>) {
	const { doctor } = await requireDoctor(event);
	if (!doctor) error(403, { message: 'Forbidden' });
	// Another doctor's appointment, or one that is over or cancelled, is simply not found.
	const appointment = await movableAppointment(db(), doctor, routeId(event.params.id));
	if (!appointment) error(404, { message: 'Not found' });
	return { doctor, appointment };
}

export const load: PageServerLoad = async (event) => {
	const { doctor, appointment } = await ownAppointment(event);
	const days = await bookableDays(db(), doctor.id);
	const requested = event.url.searchParams.get('day');
	const day =
		requested && isDateString(requested) && days.some((d) => d.day === requested)
			? requested
			: (days.find((d) => d.free > 0)?.day ?? days[0]!.day);
	const slots = await slotStates(db(), doctor.id, day, day);
	return {
		appointment: {
			id: appointment.id,
			patient: appointment.patient,
			phone: appointment.phone,
			service: appointment.service,
			startsAt: appointment.startsAt.toISOString()
		},
		days,
		day,
		slots: slots.filter((s) => s.state === 'free').map((s) => ({ start: s.start.toISOString() }))
	};
};

export const actions: Actions = {
	move: async (event) => {
		const { doctor, appointment } = await ownAppointment(event);
		const parsed = parseForm(doctorMoveFields, await readForm(event.request));
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values, nearest: [] });
		const result = await moveByDoctor(db(), doctor, { appointmentId: appointment.id, ...parsed.data });
		if (!result.ok) {
			return fail(result.reason === 'not-found' ? 404 : 409, {
				message: { key: `doctor.refused.${result.reason}` as const },
				values: parsed.values,
				nearest: (result.nearest ?? []).map((s) => ({ start: s.start.toISOString() }))
			});
		}
		redirect(303, `/doctor?day=${shanghaiDate(parsed.data.start)}&moved=${result.appointmentId}`);
	}
};
