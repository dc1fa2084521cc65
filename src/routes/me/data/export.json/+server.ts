import { requireUser } from '$lib/server/auth/guard';
import { audit } from '$lib/server/audit';
import { db } from '$lib/server/db';
import { collectPersonalData } from '$lib/server/privacy/export';
import type { RequestHandler } from './$types';

// Everything about the signed-in person, as one JSON file (a download, never cached).
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const data = await collectPersonalData(db(), user.personId);
	await audit(db(), { actorAccountId: user.accountId, action: 'person.export', subjectType: 'person', subjectId: user.personId });
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': 'attachment; filename="healthy-dongmen-my-data.json"',
			'cache-control': 'no-store'
		}
	});
};
