import { requireUser } from '$lib/server/auth/guard';
import { myCertificates } from '$lib/server/certificates/mine';
import { db } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return { certificates: await myCertificates(db(), user.personId, event.locals.locale) };
};
