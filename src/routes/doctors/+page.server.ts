import { cached } from '$lib/server/cache';
import { db } from '$lib/server/db';
import { studioDirectory } from '$lib/server/doctors/directory';
import type { PageServerLoad } from './$types';

// Public: studios and their doctors, never who booked.
export const load: PageServerLoad = async ({ locals }) => {
	return { studios: await cached(`doctor-studios:${locals.locale}`, 5_000, () => studioDirectory(db(), locals.locale)) };
};
