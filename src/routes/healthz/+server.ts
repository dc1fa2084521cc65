import { json } from '@sveltejs/kit';
import { db, databaseKind } from '$lib/server/db';
import { databaseAnswers } from '$lib/server/db/health';

export async function GET() {
	const ok = await databaseAnswers(db());
	return json(
		{ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'unreachable', kind: databaseKind() },
		{ status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
}
