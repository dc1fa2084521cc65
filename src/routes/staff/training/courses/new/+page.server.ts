import { error, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { parseForm, readForm, refuse } from '$lib/server/forms';
import { createCourse, mayManageCourses } from '$lib/server/training/courses';
import { courseFields } from '$lib/server/training/schema';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireRole(event, 'staff');
	if (!mayManageCourses(user)) error(403, { message: 'Forbidden' });
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireRole(event, 'staff');
		if (!mayManageCourses(user)) error(403, { message: 'Forbidden' });
		const parsed = parseForm(courseFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await createCourse(db(), user, parsed.data);
		if (!result.ok) {
			if (result.reason === 'code-taken')
				return refuse(409, { errors: { code: { key: 'training.staff.refused.code-taken' } }, values: parsed.values });
			error(403, { message: 'Forbidden' });
		}
		redirect(303, `/staff/training/courses/${result.courseId}?saved=1`);
	}
};
