/** The home page's "next trainings": the three soonest sessions still open or with a waitlist. */
import type { Locale } from '$lib/i18n';
import { cached } from '../cache';
import { db } from '../db';
import { upcomingSessions } from './sessions';

const SHOWN = 3;

export async function nextTrainings(locale: Locale) {
	const sessions = await cached(`home-trainings:${locale}`, 5_000, () => upcomingSessions(db(), locale, { limit: SHOWN }));
	return sessions.map((s) => ({
		id: s.occurrenceId,
		course: s.course,
		where: `${s.community ?? ''} · ${s.venue}`,
		startsAt: s.startsAt.toISOString(),
		placesLeft: s.placesLeft
	}));
}
