import { db } from '$lib/server/db';
import { readForm, refuse } from '$lib/server/forms';
import { sessionJson } from '$lib/server/training/sessions';
import { attendanceOpen, recordAttendance, skillLabels, trainees } from '$lib/server/training/trainer';
import { trainerSession } from './own';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { own, view } = await trainerSession(event);
	const skills = await skillLabels(db(), own.courseId, event.locals.locale);
	const list = await trainees(db(), own);
	return {
		session: sessionJson(view),
		open: attendanceOpen(own),
		skills: skills.length,
		trainees: list.map((x) => ({
			reservationId: x.reservationId,
			name: `${x.familyName}${x.givenName}`,
			status: x.status,
			consent: x.consent,
			passed: x.results.filter((r) => r.passed).length,
			assessed: x.results.length,
			passedAll: x.passedAll
		}))
	};
};

export const actions: Actions = {
	attendance: async (event) => {
		const { user, own } = await trainerSession(event);
		const form = await readForm(event.request);
		const present: number[] = [];
		for (const raw of form.getAll('present')) {
			if (typeof raw !== 'string' || !/^[1-9]\d{0,14}$/.test(raw))
				return refuse(400, { message: { key: 'training.trainer.refused.not-found' } });
			present.push(Number(raw));
		}
		const result = await recordAttendance(db(), user.accountId, own.occurrenceId, present);
		if (!result.ok)
			return refuse(result.reason === 'not-found' ? 404 : 409, { message: { key: `training.trainer.refused.${result.reason}` } });
		return { attendance: result.changed };
	}
};
