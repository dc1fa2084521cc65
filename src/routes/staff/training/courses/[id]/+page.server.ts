import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { parseForm, readForm, refuse } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import { courseForEdit, mayManageCourses, updateCourse } from '$lib/server/training/courses';
import { courseFields } from '$lib/server/training/schema';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	if (!mayManageCourses(user)) error(403, { message: 'Forbidden' });
	const course = await courseForEdit(db(), routeId(event.params.id));
	if (!course) error(404, { message: 'Not found' });
	return { course, saved: event.url.searchParams.has('saved') };
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event, 'staff');
		if (!mayManageCourses(user)) error(403, { message: 'Forbidden' });
		const parsed = parseForm(courseFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await updateCourse(db(), user, routeId(event.params.id), parsed.data);
		if (!result.ok) {
			if (result.reason === 'code-taken')
				return refuse(409, { errors: { code: { key: 'training.staff.refused.code-taken' } }, values: parsed.values });
			error(result.reason === 'not-found' ? 404 : 403, { message: result.reason === 'not-found' ? 'Not found' : 'Forbidden' });
		}
		return { saved: true };
	}
};
