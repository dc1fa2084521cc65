import { error, type RequestEvent } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/forms';
import { db } from '$lib/server/db';
import { fields, readForm, refuse } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import { recordAssessment, skillLabels, trainees, type AssessmentInput } from '$lib/server/training/trainer';
import { trainerSession } from '../../own';
import type { Actions, PageServerLoad } from './$types';

async function traineeOf(event: RequestEvent<{ id: string; reservationId: string }>) {
	const { user, own, view } = await trainerSession(event);
	const reservationId = routeId(event.params.reservationId);
	const trainee = (await trainees(db(), own)).find((x) => x.reservationId === reservationId);
	if (!trainee) error(404, { message: 'Not found' });
	return { user, own, view, trainee };
}

export const load: PageServerLoad = async (event) => {
	const { own, view, trainee } = await traineeOf(event);
	const skills = await skillLabels(db(), own.courseId, event.locals.locale);
	return {
		session: { occurrenceId: view.occurrenceId, course: view.course },
		trainee: { reservationId: trainee.reservationId, name: `${trainee.familyName}${trainee.givenName}`, status: trainee.status },
		skills: skills.map((s) => {
			const result = trainee.results.find((r) => r.skillId === s.id);
			return { ...s, passed: result ? result.passed : null, note: result?.note ?? '' };
		})
	};
};

const note = fields.optionalText({ max: 300 });

export const actions: Actions = {
	default: async (event) => {
		const { user, own, trainee } = await traineeOf(event);
		const skills = await skillLabels(db(), own.courseId, event.locals.locale);
		const form = await readForm(event.request);
		const results: AssessmentInput = [];
		const errors: FieldErrors = {};
		const values: Record<string, string> = {};
		for (const skill of skills) {
			const verdict = form.get(`result-${skill.id}`);
			const text = note.parse(form.get(`note-${skill.id}`));
			if (typeof verdict === 'string') values[`result-${skill.id}`] = verdict;
			const typed = form.get(`note-${skill.id}`);
			if (typeof typed === 'string') values[`note-${skill.id}`] = typed.slice(0, 300);
			if (verdict !== 'pass' && verdict !== 'fail') errors[`result-${skill.id}`] = { key: 'training.error.result' };
			if (!text.ok) errors[`note-${skill.id}`] = text.error;
			else if (verdict === 'pass' || verdict === 'fail') results.push({ skillId: skill.id, passed: verdict === 'pass', note: text.value });
		}
		if (Object.keys(errors).length > 0) return refuse(400, { errors, values });
		const result = await recordAssessment(db(), user.accountId, {
			occurrenceId: own.occurrenceId,
			reservationId: trainee.reservationId,
			results
		});
		if (!result.ok)
			return refuse(result.reason === 'not-found' ? 404 : 409, { message: { key: `training.trainer.refused.${result.reason}` }, values });
		return { saved: true };
	}
};
