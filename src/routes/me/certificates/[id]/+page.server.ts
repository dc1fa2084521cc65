import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { holderCertificate } from '$lib/server/certificates/mine';
import { db } from '$lib/server/db';
import { routeId } from '$lib/server/ids';
import { qrSvg } from '$lib/server/qr';
import type { PageServerLoad } from './$types';
import { linkOrigin } from '$lib/server/origin';

// The verification QR code, full screen, to show on a phone.
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const cert = await holderCertificate(db(), user.personId, routeId(event.params.id));
	if (!cert || cert.revoked) error(404, { message: 'Not found' });
	const link = `${linkOrigin(event.url)}/verify/${cert.code}`;
	return { number: cert.number, course: event.locals.locale === 'en' ? cert.courseEn : cert.courseZh, link, qr: await qrSvg(link) };
};
