/**
 * Enrolment under real concurrency, on PostgreSQL: 100 people at once for a training of 10 places,
 * through the real enrol action served by two app server processes on one database.
 */
import { parse } from 'devalue';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession } from '../../src/lib/server/auth/session';
import { waitlistPosition } from '../../src/lib/server/booking/reservations';
import { describeConcurrent } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount } from '../helpers/factories';
import { startServers, stopAll, type ServerProcess } from '../helpers/servers';
import { newSession } from './helpers';
import { enhancedFormHeaders } from '../helpers/http';

let t: TestDatabase;
let servers: ServerProcess[] = [];
beforeAll(async () => {
	t = await createTestDatabase({ poolSize: 12 });
});
afterAll(async () => {
	await stopAll(servers);
	await t?.close();
});

describeConcurrent('a hundred people for ten training places', () => {
	it('two app servers: exactly 10 enrolled, 90 waitlisted with positions 1…90 in commit order', async () => {
		const { occurrenceId } = await newSession(t.db, { capacity: 10 });
		const accounts = await Promise.all(Array.from({ length: 100 }, () => createAccount(t.db)));
		const tokens = await Promise.all(accounts.map(async (a) => (await createSession(t.db, a.accountId)).token));
		servers = await startServers(2, t.url!, { WORKER_INTERVAL_SECONDS: '0' });
		const responses = await Promise.all(
			tokens.map((token, i) => {
				const server = servers[i % 2]!;
				return fetch(`${server.url}/occurrences/${occurrenceId}?/reserve`, {
					method: 'POST',
					headers: enhancedFormHeaders(server.url, token),
					body: ''
				});
			})
		);
		expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
		const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ type: string; data: string }>));
		expect(bodies.every((b) => b.type === 'success')).toBe(true);
		const answers = bodies.map((b) => parse(b.data) as { booked: string; position: number | null; reservationId: number });
		expect(answers.filter((a) => a.booked === 'reserved')).toHaveLength(10);
		const told = answers.filter((a) => a.booked === 'waitlisted');
		expect(told).toHaveLength(90);

		const rows = await t.db
			.selectFrom('reservation')
			.select(['id', 'status'])
			.where('occurrence_id', '=', occurrenceId)
			.orderBy('id')
			.execute();
		expect(rows.filter((r) => r.status === 'reserved')).toHaveLength(10);
		const waiting = rows.filter((r) => r.status === 'waitlisted');
		expect(waiting).toHaveLength(90);
		// Ids are drawn after the session's lock is taken, so id order is commit order: positions
		// follow it exactly, 1…90 with no gap and no repeat, and each person was told theirs.
		const positions = await Promise.all(waiting.map((r) => waitlistPosition(t.db, r.id)));
		expect(positions).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
		for (const a of told) expect(a.position).toBe(positions[waiting.findIndex((w) => w.id === a.reservationId)]);
		// Every reserved place was committed before every waitlisted one.
		const lastReserved = Math.max(...rows.filter((r) => r.status === 'reserved').map((r) => r.id));
		expect(lastReserved).toBeLessThan(waiting[0]!.id);
	}, 120_000);
});
