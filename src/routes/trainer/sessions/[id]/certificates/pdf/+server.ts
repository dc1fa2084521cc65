import { error } from '@sveltejs/kit';
import { sessionCertificates } from '$lib/server/certificates/mine';
import { certificatesPdf } from '$lib/server/certificates/pdf';
import { db } from '$lib/server/db';
import { trainerSession } from '../../own';
import type { RequestHandler } from './$types';
import { linkOrigin } from '$lib/server/origin';

// The session's valid certificates in one PDF, a page each, for the trainer to print and hand out
// (many holders keep paper, not phones). Only the session's own trainer; nothing changes on GET.
export const GET: RequestHandler = async (event) => {
	const { own } = await trainerSession(event);
	const certs = await sessionCertificates(db(), own.occurrenceId);
	if (!certs.length) error(404, { message: 'No certificates' });
	const made = await certificatesPdf(
		certs.map((c) => ({ ...c, verifyUrl: `${linkOrigin(event.url)}/verify/${c.code}` })),
		`急救培训合格证书 First-Aid Training Certificates · ${certs[0]!.courseEn} · ${certs[0]!.trainedOn}`
	);
	if (!made.ok) error(409, { message: 'The certificates cannot be drawn' });
	return new Response(new Uint8Array(made.pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': `attachment; filename="certificates-${certs[0]!.trainedOn}-${own.occurrenceId}.pdf"`,
			'cache-control': 'private, no-store'
		}
	});
};
