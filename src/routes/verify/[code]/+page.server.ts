import { error } from '@sveltejs/kit';
import { lookupAllowed } from '$lib/server/certificates/lookup-limit';
import { logLimited, verifyByCode } from '$lib/server/certificates/verify';
import { db } from '$lib/server/db';
import type { PageServerLoad } from './$types';

// The QR code's link: anyone may look, a limited number of times a minute; never cached.
export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'cache-control': 'no-store' });
	const code = event.params.code.slice(0, 64);
	const allowed = await lookupAllowed(event);
	if (!allowed.ok) {
		await logLimited(db(), 'code', code);
		error(429, { message: 'Too many look-ups' });
	}
	return { result: await verifyByCode(db(), code, event.locals.locale) };
};
