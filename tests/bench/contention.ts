// The contention scenario: 500 residents press "book" at once for 20 places, through the real HTTP
// action, split across two server processes on one database. Exactly 20 must be reserved (the rest
// waitlisted); the bench reports how long the burst took and whether the count held.
import { createSession } from '../../src/lib/server/auth/session';
import { openPostgres } from '../../src/lib/server/db/connect';
import { createAccount, createOccurrence } from '../helpers/factories';
import { postgresUrlOf, startPortal, type Portal } from './server';
import { enhancedFormHeaders } from '../helpers/http';

export interface ContentionResult {
	attempts: number;
	places: number;
	reserved: number;
	waitlisted: number;
	failed: number;
	/** Failed requests by what went wrong (status code or network error). */
	failures: Record<string, number>;
	elapsedMs: number;
	ok: boolean;
}

export async function contention(root: string, first: Portal, attempts = 500, places = 20): Promise<ContentionResult> {
	const handle = openPostgres(postgresUrlOf(first), 8);
	let second: Portal | undefined;
	try {
		const occurrence = await createOccurrence(handle.db, { capacity: places, startsAt: new Date(Date.now() + 3 * 24 * 60 * 60_000) });
		const tokens: string[] = [];
		for (let i = 0; i < attempts; i++) {
			const account = await createAccount(handle.db);
			tokens.push((await createSession(handle.db, account.accountId)).token);
		}
		second = await startPortal(root, postgresUrlOf(first));
		const portals = [first, second];
		const started = performance.now();
		const responses = await Promise.all(
			tokens.map((token, i) => {
				const portal = portals[i % 2]!;
				return fetch(`${portal.baseUrl}/occurrences/${occurrence.id}?/reserve`, {
					method: 'POST',
					headers: enhancedFormHeaders(portal.baseUrl, token),
					body: ''
				}).then(
					async (r) => (r.status === 200 && ((await r.json()) as { type?: string }).type === 'success' ? 'ok' : `HTTP ${r.status}`),
					(error: unknown) => (error instanceof Error ? error.message : String(error))
				);
			})
		);
		const elapsedMs = performance.now() - started;
		const rows = await handle.db
			.selectFrom('reservation')
			.select(['status', ({ fn }) => fn.countAll<number>().as('n')])
			.where('occurrence_id', '=', occurrence.id)
			.groupBy('status')
			.execute();
		const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
		const reserved = count('reserved');
		const waitlisted = count('waitlisted');
		const failures: Record<string, number> = {};
		for (const outcome of responses) if (outcome !== 'ok') failures[outcome] = (failures[outcome] ?? 0) + 1;
		const failed = responses.filter((outcome) => outcome !== 'ok').length;
		if (failed) for (const portal of portals) console.error(`\n--- server ${portal.pid} ---\n${portal.output().slice(-1500)}`);
		return {
			attempts,
			places,
			reserved,
			waitlisted,
			failed,
			failures,
			elapsedMs,
			ok: reserved === places && waitlisted === attempts - places && failed === 0
		};
	} finally {
		await second?.stop();
		await handle.close();
	}
}

export function contentionLine(r: ContentionResult): string {
	return (
		`Contention (two server processes, one database): ${r.attempts} simultaneous bookings for ${r.places} places → ` +
		`${r.reserved} reserved, ${r.waitlisted} waitlisted, ${r.failed} failed requests${r.failed ? ` (${JSON.stringify(r.failures)})` : ''}, ` +
		`in ${Math.round(r.elapsedMs)} ms — ` +
		(r.ok ? 'exactly as many as there are places.' : '**NOT** as expected.')
	);
}
