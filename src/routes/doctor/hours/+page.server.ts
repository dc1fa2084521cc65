import { error, fail } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { requireDoctor } from '$lib/server/doctors/guard';
import {
	addException,
	addRule,
	appointmentsOutsideHours,
	cancelByDoctor,
	removeException,
	removeRule,
	rulesOf
} from '$lib/server/doctors/practice';
import { cancelDayFields, exceptionFields, ruleFields } from '$lib/server/doctors/schema';
import { fields, parseForm, readForm, refuseStale } from '$lib/server/forms';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// The doctor's weekly hours, leave and make-up days, and the bookings a change left outside them.
export const load: PageServerLoad = async (event) => {
	const { doctor } = await requireDoctor(event);
	if (!doctor) return { doctor: null };
	const { rules, exceptions } = await rulesOf(db(), doctor);
	return { doctor: { name: doctor.name }, rules, exceptions, outside: await appointmentsOutsideHours(db(), doctor) };
};

async function doctorFor(event: RequestEvent) {
	const { doctor } = await requireDoctor(event);
	if (!doctor) error(403, { message: 'Forbidden' });
	return doctor;
}

const idForm = { id: fields.id() };

export const actions: Actions = {
	addRule: async (event) => {
		const doctor = await doctorFor(event);
		const parsed = parseForm(ruleFields, await readForm(event.request));
		if (!parsed.ok) return fail(400, { form: 'rule' as const, errors: parsed.errors, values: parsed.values });
		const result = await addRule(db(), doctor, { ...parsed.data, weekday: Number(parsed.data.weekday) });
		if (!result.ok) {
			const field = result.reason === 'too-long' ? 'validTo' : 'endTime';
			return fail(400, {
				form: 'rule' as const,
				errors: { [field]: { key: `doctor.refused.${result.reason}` as const } },
				values: parsed.values
			});
		}
		return { saved: true };
	},
	removeRule: async (event) => {
		const doctor = await doctorFor(event);
		const parsed = parseForm(idForm, await readForm(event.request));
		if (!parsed.ok || !(await removeRule(db(), doctor, parsed.data.id)))
			return fail(404, { message: { key: 'doctor.refused.not-found' as const } });
		return { saved: true };
	},
	addException: async (event) => {
		const doctor = await doctorFor(event);
		const parsed = parseForm(exceptionFields, await readForm(event.request));
		if (!parsed.ok) return fail(400, { form: 'exception' as const, errors: parsed.errors, values: parsed.values });
		const result = await addException(db(), doctor, parsed.data);
		if (!result.ok) {
			const field = result.reason === 'order' ? 'endTime' : 'startTime';
			return fail(400, {
				form: 'exception' as const,
				errors: { [field]: { key: `doctor.refused.${result.reason}` as const } },
				values: parsed.values
			});
		}
		return { saved: true };
	},
	removeException: async (event) => {
		const doctor = await doctorFor(event);
		const parsed = parseForm(idForm, await readForm(event.request));
		if (!parsed.ok || !(await removeException(db(), doctor, parsed.data.id)))
			return fail(404, { message: { key: 'doctor.refused.not-found' as const } });
		return { saved: true };
	},
	cancelOne: async (event) => {
		const doctor = await doctorFor(event);
		const data = await readForm(event.request);
		const parsed = parseForm({ id: fields.id(), message: cancelDayFields.message }, data);
		// The message is shown next to the field of the appointment it belongs to; a bad id has no field.
		if (!parsed.ok && parsed.errors.id) return refuseStale();
		// An appointment not listed here (another doctor's, or already moved) has no field to mark.
		if (!parsed.ok && !(await appointmentsOutsideHours(db(), doctor)).some((a) => String(a.id) === data.get('id')))
			return fail(404, { message: { key: 'doctor.refused.not-found' as const } });
		if (!parsed.ok) return fail(400, { form: `cancel-${String(data.get('id'))}`, errors: parsed.errors, values: parsed.values });
		const result = await cancelByDoctor(db(), doctor, { appointmentId: parsed.data.id, message: parsed.data.message });
		if (!result.ok) return fail(404, { message: { key: 'doctor.refused.not-found' as const } });
		return { saved: true };
	}
};
