import { error, fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { programmeRules } from '$lib/server/booking/reservations';
import { db } from '$lib/server/db';
import { book } from '$lib/server/doctors/appointments';
import { doctorRecord, localDoctor } from '$lib/server/doctors/directory';
import { refusalKey } from '$lib/server/doctors/model';
import { bookFields, parseInstant } from '$lib/server/doctors/schema';
import { nearestFree, slotStates } from '$lib/server/doctors/slots';
import { now, shanghaiDate } from '$lib/server/clock';
import { parseForm, readForm } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import { bookingChoices, bookingPerson } from '$lib/server/households/households';
import type { Actions, PageServerLoad } from './$types';

const iso = (slots: { start: Date; end: Date }[]) => slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() }));

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const doctor = await doctorRecord(db(), routeId(event.params.id));
	if (!doctor || !doctor.active) error(404, { message: 'Not found' });
	const start = parseInstant(event.url.searchParams.get('start'));
	if (!start) redirect(303, `/doctors/${doctor.id}`);
	const day = shanghaiDate(start);
	const slot = (await slotStates(db(), doctor.id, day, day)).find((s) => s.start.getTime() === start.getTime());
	const rules = await programmeRules(db(), 'doctor');
	// Why a slot that is not free cannot be booked, in the core's words where they fit.
	const ahead = start.getTime() - now().getTime();
	const refusal =
		slot?.state === 'free'
			? null
			: slot?.state === 'taken'
				? refusalKey('taken')
				: !slot
					? refusalKey('no-slot')
					: ahead <= 0
						? refusalKey('started')
						: ahead < rules.minNoticeMinutes * 60_000
							? refusalKey('too-short-notice')
							: refusalKey('beyond-horizon');
	return {
		refusal,
		doctor: localDoctor(doctor, event.locals.locale),
		start: start.toISOString(),
		end: slot?.end.toISOString() ?? null,
		state: slot?.state ?? null,
		nearest: slot?.state === 'free' ? [] : iso(await nearestFree(db(), doctor.id, start)),
		rules: { max: rules.maxUpcoming, hours: rules.cancelCutoffMinutes / 60 },
		choices: await bookingChoices(db(), user.personId)
	};
};

export const actions: Actions = {
	book: async (event) => {
		const user = requireUser(event);
		const doctorId = routeId(event.params.id);
		const form = await readForm(event.request);
		const parsed = parseForm(bookFields, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values, nearest: [] });
		// A carer books for a member of their household; any other id is refused, whatever the form says.
		const personId = await bookingPerson(db(), user.personId, form.get('for'));
		if (personId === null) return fail(403, { message: { key: 'booking.for.badPerson' as const }, values: parsed.values, nearest: [] });
		const result = await book(db(), {
			doctorId,
			start: parsed.data.start,
			service: parsed.data.service,
			reason: parsed.data.reason,
			personId,
			actor: { accountId: user.accountId, personId: user.personId }
		});
		if (!result.ok) {
			const status = result.reason === 'not-found' ? 404 : result.reason === 'service' ? 400 : 409;
			return fail(status, { message: { key: refusalKey(result.reason) }, values: parsed.values, nearest: iso(result.nearest ?? []) });
		}
		redirect(303, `/me/appointments/${result.appointmentId}?booked=1`);
	}
};
