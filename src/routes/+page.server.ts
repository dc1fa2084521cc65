import { offersOf } from '$lib/server/booking/queries';
import { calendarItems } from '$lib/server/calendar/feed';
import { now, startOfWeek, today } from '$lib/server/clock';
import { timetable } from '$lib/server/fitness/sessions';
import { cached } from '$lib/server/cache';
import { db } from '$lib/server/db';
import { nextAppointments } from '$lib/server/doctors/views';
import { nextTrainings } from '$lib/server/training/home';
import { myCertificates } from '$lib/server/certificates/mine';
import type { PageServerLoad } from './$types';

const UPCOMING = 5;
const VISITOR_SESSIONS = 8;

// The resident's starting point: what comes next, from every module that contributes calendar items.
export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) {
		// A visitor sees what is on this week at the fitness spaces (what has not started yet).
		const weekStart = startOfWeek(today());
		const week = await cached(`timetable:${locals.locale}:${weekStart}::`, 5_000, () => timetable(db(), locals.locale, { weekStart }));
		const coming = week.filter((e) => !e.started && !e.cancelled).slice(0, VISITOR_SESSIONS);
		return {
			appointments: [],
			expiring: [],
			trainings: await nextTrainings(locals.locale),
			upcoming: null,
			offers: [],
			week: coming.map((e) => ({
				id: e.occurrenceId,
				title: e.title,
				space: e.space,
				startsAt: e.startsAt.toISOString(),
				placesLeft: e.placesLeft
			}))
		};
	}
	// Independent reads, at once: what comes next (only items that have not ended), places on offer,
	// the next doctor visits, certificates running out.
	const at = now();
	const [items, offers, appointments, certificates, trainings] = await Promise.all([
		calendarItems(db(), locals.user.personId, locals.locale, at),
		offersOf(db(), locals.user.personId, locals.locale),
		nextAppointments(db(), locals.user.personId, locals.locale, at),
		myCertificates(db(), locals.user.personId, locals.locale),
		nextTrainings(locals.locale)
	]);
	const upcoming = items.filter((i) => i.end.getTime() > at.getTime()).slice(0, UPCOMING);
	return {
		appointments,
		expiring: certificates
			.filter((c) => c.expiresSoon)
			.map((c) => ({ id: c.id, courseId: c.courseId, course: c.course, validUntil: c.validUntil })),
		trainings,
		week: [],
		offers: offers.map((o) => ({
			id: o.id,
			title: o.title,
			startsAt: o.startsAt.toISOString(),
			offerExpiresAt: o.offerExpiresAt?.toISOString() ?? null
		})),
		upcoming: upcoming.map((i) => ({
			uid: i.uid,
			title: i.title,
			start: i.start.toISOString(),
			location: i.location ?? null,
			url: i.url ?? null,
			cancelled: i.cancelled
		}))
	};
};
