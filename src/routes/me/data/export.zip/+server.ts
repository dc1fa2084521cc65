import { requireUser } from '$lib/server/auth/guard';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { collectPersonalData, csvBundle } from '$lib/server/privacy/export';
import type { RequestHandler } from './$types';

// Everything about the signed-in person, one CSV file per table in a ZIP (a download, never cached).
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const bundle = csvBundle(await collectPersonalData(db(), user.personId));
	await audit(db(), { actorAccountId: user.accountId, action: 'person.export', subjectType: 'person', subjectId: user.personId });
	return new Response(Buffer.from(bundle), {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': 'attachment; filename="healthy-dongmen-my-data.zip"',
			'cache-control': 'no-store'
		}
	});
};
