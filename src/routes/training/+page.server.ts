import { cached } from '$lib/server/cache';
import { communityOptions } from '$lib/server/communities';
import { db } from '$lib/server/db';
import { parseId } from '$lib/server/ids';
import { listCourses } from '$lib/server/training/courses';
import { sessionJson, upcomingSessions } from '$lib/server/training/sessions';
import type { PageServerLoad } from './$types';

/** The public list may be this many milliseconds behind (enrolling always reads the database). */
const TTL_MS = 5_000;

const positiveId = (raw: string | null) => parseId(raw) ?? undefined;

// Upcoming trainings by course and community, with places left: public, never who enrolled.
export const load: PageServerLoad = async ({ url, locals }) => {
	const communityId = positiveId(url.searchParams.get('community'));
	const courseId = positiveId(url.searchParams.get('course'));
	const [sessions, courses, communities] = await Promise.all([
		cached(`training:${locals.locale}:${communityId ?? ''}:${courseId ?? ''}`, TTL_MS, () =>
			upcomingSessions(db(), locals.locale, { communityId, courseId })
		),
		cached(`training-courses:${locals.locale}`, TTL_MS, () => listCourses(db(), locals.locale)),
		cached(`communities:${locals.locale}`, TTL_MS, () => communityOptions(db(), locals.locale))
	]);
	return {
		communityId: communityId ?? null,
		courseId: courseId ?? null,
		communities,
		courses: courses.filter((c) => !courseId || c.id === courseId),
		courseOptions: courses.map((c) => ({ value: String(c.id), label: c.title })),
		sessions: sessions.map(sessionJson)
	};
};
