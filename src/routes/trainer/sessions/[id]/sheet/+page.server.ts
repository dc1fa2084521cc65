import { db } from '$lib/server/db';
import { sessionJson } from '$lib/server/training/sessions';
import { trainees } from '$lib/server/training/trainer';
import { trainerSession } from '../own';
import type { PageServerLoad } from './$types';

// A paper sign-in sheet for the session's own trainer: names only, a blank column to sign.
export const load: PageServerLoad = async (event) => {
	const { own, view } = await trainerSession(event);
	const list = await trainees(db(), own);
	return { session: sessionJson(view), names: list.map((x) => `${x.familyName}${x.givenName}`) };
};
