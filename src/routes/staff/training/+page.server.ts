import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { parseForm, readForm, refuse } from '$lib/server/forms';
import { staffCommunityOptions } from '$lib/server/people/staff-scope';
import { listCourses, mayManageCourses } from '$lib/server/training/courses';
import { sessionFields } from '$lib/server/training/schema';
import { createSession, sessionJson, sessionsForStaff, trainerOptions } from '$lib/server/training/sessions';
import type { Actions, PageServerLoad } from './$types';

const PREFILL = ['courseId', 'communityId', 'capacity', 'venueZh', 'venueEn', 'trainerAccountId'] as const;

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const locale = event.locals.locale;
	const courses = await listCourses(db(), locale);
	// A dedicated session for a group that did not fit comes here with its details in the address.
	const prefill: Record<string, string> = {};
	for (const name of PREFILL) {
		const value = event.url.searchParams.get(name);
		if (value && value.length <= 160) prefill[name] = value;
	}
	return {
		sessions: (await sessionsForStaff(db(), user, locale)).map(sessionJson),
		courses: courses.map((c) => ({ id: c.id, code: c.code, title: c.title, skills: c.skills.length })),
		courseOptions: courses.map((c) => ({ value: String(c.id), label: c.title })),
		communities: await staffCommunityOptions(db(), user, locale),
		trainers: await trainerOptions(db()),
		mayManageCourses: mayManageCourses(user),
		prefill
	};
};

export const actions: Actions = {
	createSession: async (event) => {
		const user = requireRole(event, 'staff');
		const parsed = parseForm(sessionFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await createSession(db(), user, parsed.data);
		if (!result.ok) {
			const field = {
				'out-of-scope': 'communityId',
				'unknown-community': 'communityId',
				'no-course': 'courseId',
				'no-trainer': 'trainerAccountId',
				'in-past': 'date'
			}[result.reason];
			return refuse(result.reason === 'out-of-scope' ? 403 : 400, {
				errors: { [field]: { key: `training.staff.refused.${result.reason}` } },
				values: parsed.values
			});
		}
		redirect(303, `/staff/training/sessions/${result.occurrenceId}?created=1`);
	}
};
