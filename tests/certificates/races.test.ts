/**
 * Twenty class issues of one session at once, on PostgreSQL, through the trainer's real HTTP action
 * served by two app server processes: every trainee ends with exactly one certificate, and together
 * the answers report each certificate as new exactly once (the others found it already there).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession } from '../../src/lib/server/auth/session';
import { describeConcurrent } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startServers, stopAll, type ServerProcess } from '../helpers/servers';
import { issueForm, passedClass } from './helpers';
import { enhancedFormHeaders } from '../helpers/http';

let t: TestDatabase;
let servers: ServerProcess[] = [];
beforeAll(async () => {
	t = await createTestDatabase({ poolSize: 8 });
});
afterAll(async () => {
	await stopAll(servers);
	await t?.close();
});

describeConcurrent('twenty class issues of one session at once', () => {
	it('give each trainee exactly one certificate, across two app servers', async () => {
		const { session, trainees } = await passedClass(t.db, 12);
		const form = issueForm(trainees).toString();
		const tokens = await Promise.all(Array.from({ length: 20 }, async () => (await createSession(t.db, session.trainerAccountId)).token));
		servers = await startServers(2, t.url!, { WORKER_INTERVAL_SECONDS: '0' });
		const bodies = await Promise.all(
			tokens.map(async (token, i) => {
				const server = servers[i % 2]!;
				const response = await fetch(`${server.url}/trainer/sessions/${session.occurrenceId}/certificates?/issue`, {
					method: 'POST',
					headers: enhancedFormHeaders(server.url, token),
					body: form
				});
				return (await response.json()) as { type: string; data?: string };
			})
		);
		expect(bodies.map((b) => b.type)).toEqual(Array(20).fill('success'));
		// SvelteKit's devalue encoding: [{"issued":1},N]; N certificates were new in that answer.
		const fresh = bodies.map((b) => Number(JSON.parse(b.data!)[1]));
		expect(fresh.reduce((a, b) => a + b, 0)).toBe(12);

		const certificates = await t.db
			.selectFrom('certificate')
			.select(['reservation_id', 'number'])
			.where(
				'reservation_id',
				'in',
				trainees.map((x) => x.reservationId)
			)
			.execute();
		expect(certificates).toHaveLength(12);
		expect(new Set(certificates.map((c) => c.reservation_id)).size).toBe(12);
		expect(new Set(certificates.map((c) => c.number)).size).toBe(12);
		const audits = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'certificate.issue').execute();
		expect(audits).toHaveLength(12);
	});
});
