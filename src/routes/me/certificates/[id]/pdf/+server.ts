import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { holderCertificate } from '$lib/server/certificates/mine';
import { certificatePdf } from '$lib/server/certificates/pdf';
import { db } from '$lib/server/db';
import { routeId } from '$lib/server/ids';
import type { RequestHandler } from './$types';
import { linkOrigin } from '$lib/server/origin';

// The holder's own certificate as a PDF (made on request; nothing is cached on disk).
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const cert = await holderCertificate(db(), user.personId, routeId(event.params.id));
	if (!cert || cert.revoked) error(404, { message: 'Not found' });
	const made = await certificatePdf({ ...cert, verifyUrl: `${linkOrigin(event.url)}/verify/${cert.code}` });
	if (!made.ok) error(409, { message: 'The certificate cannot be drawn' });
	return new Response(new Uint8Array(made.pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="${cert.number}.pdf"`,
			'cache-control': 'private, no-store'
		}
	});
};
