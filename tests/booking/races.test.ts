/**
 * Capacity under real concurrency, on PostgreSQL: through the service with a pool of 12, and
 * through the real HTTP action served by two app server processes on one database.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession } from '../../src/lib/server/auth/session';
import { reserve } from '../../src/lib/server/booking/reservations';
import { describeConcurrent } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createOccurrence, createPerson } from '../helpers/factories';
import { startServers, stopAll, type ServerProcess } from '../helpers/servers';
import { enhancedFormHeaders } from '../helpers/http';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase({ poolSize: 12 });
});
afterAll(() => t?.close());

async function outcome(occurrenceId: number) {
	const rows = await t.db
		.selectFrom('reservation')
		.select(['id', 'status', 'waitlisted_at'])
		.where('occurrence_id', '=', occurrenceId)
		.orderBy('waitlisted_at')
		.orderBy('id')
		.execute();
	const reserved = rows.filter((r) => r.status === 'reserved');
	const waitlisted = rows.filter((r) => r.status === 'waitlisted');
	return { reserved, waitlisted, total: rows.length };
}

describeConcurrent('two hundred people for twenty places', () => {
	it('through the service: exactly 20 reserved, the rest waitlisted in commit order', async () => {
		const occ = await createOccurrence(t.db, { capacity: 20, startsAt: new Date(Date.now() + 3 * 24 * 60 * 60_000) });
		const people = await Promise.all(Array.from({ length: 200 }, () => createPerson(t.db)));
		const results = await Promise.all(
			people.map((p) => reserve(t.db, { occurrenceId: occ.id, personId: p.id, actor: { accountId: null, personId: p.id } }))
		);
		expect(results.filter((r) => r.ok && r.status === 'reserved')).toHaveLength(20);
		const waiting = results.filter((r) => r.ok && r.status === 'waitlisted');
		expect(waiting).toHaveLength(180);
		// Positions 1…180, each once, and in the order the reservations were committed.
		const positions = waiting.map((r) => (r.ok ? r.position : 0)).sort((a, b) => a! - b!);
		expect(positions).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));
		const { reserved, waitlisted } = await outcome(occ.id);
		expect(reserved).toHaveLength(20);
		const ids = waitlisted.map((r) => r.id);
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
	});

	let servers: ServerProcess[] = [];
	afterAll(() => stopAll(servers));

	it('through the real HTTP action on two app servers: exactly 20 reserved, 180 waitlisted', async () => {
		const occ = await createOccurrence(t.db, { capacity: 20, startsAt: new Date(Date.now() + 3 * 24 * 60 * 60_000) });
		const accounts = await Promise.all(Array.from({ length: 200 }, () => createAccount(t.db)));
		const tokens = await Promise.all(accounts.map(async (a) => (await createSession(t.db, a.accountId)).token));
		servers = await startServers(2, t.url!, { WORKER_INTERVAL_SECONDS: '0' });
		const responses = await Promise.all(
			tokens.map((token, i) => {
				const server = servers[i % 2]!;
				return fetch(`${server.url}/occurrences/${occ.id}?/reserve`, {
					method: 'POST',
					headers: enhancedFormHeaders(server.url, token),
					body: ''
				});
			})
		);
		expect(responses.every((r) => r.status === 200)).toBe(true);
		const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ type: string; data: string }>));
		expect(bodies.every((b) => b.type === 'success')).toBe(true);
		const { reserved, waitlisted, total } = await outcome(occ.id);
		expect(total).toBe(200);
		expect(reserved).toHaveLength(20);
		expect(waitlisted).toHaveLength(180);
		const ids = waitlisted.map((r) => r.id);
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
	});
});

describeConcurrent('two workers sweeping at once', () => {
	it('send each reminder and pass on each expired offer exactly once', async () => {
		const { openPostgres } = await import('../../src/lib/server/db/connect');
		const { sendReminders } = await import('../../src/lib/server/booking/sweeps');
		const { cancel, expireOffers } = await import('../../src/lib/server/booking/reservations');
		const { fixedClock, setClock, resetClock, shanghaiInstant } = await import('../../src/lib/server/clock');
		const other = openPostgres(t.url!, 10);
		const clock = fixedClock(shanghaiInstant('2030-03-01', '11:00'));
		setClock(clock);
		try {
			// Thirty sessions tomorrow with one place each: a holder and someone waiting.
			const pairs = [];
			for (let i = 0; i < 30; i++) {
				const occ = await createOccurrence(t.db, { capacity: 1, startsAt: shanghaiInstant('2030-03-02', '15:00'), minutes: 30 + i });
				const [holder, waiter] = [await createPerson(t.db), await createPerson(t.db)];
				const held = await reserve(t.db, { occurrenceId: occ.id, personId: holder.id, actor: { accountId: null, personId: holder.id } });
				const waits = await reserve(t.db, { occurrenceId: occ.id, personId: waiter.id, actor: { accountId: null, personId: waiter.id } });
				if (!held.ok || !waits.ok) throw new Error('setup');
				pairs.push({ occ, holder, waiter, held, waits });
			}
			await Promise.all([sendReminders(t.db), sendReminders(other.db), sendReminders(t.db), sendReminders(other.db)]);
			const holders = pairs.map((p) => p.holder.id);
			const reminders = await t.db
				.selectFrom('notification')
				.select('person_id')
				.where('kind', '=', 'booking_reminder')
				.where('person_id', 'in', holders)
				.execute();
			expect(reminders).toHaveLength(30);
			expect(new Set(reminders.map((r) => r.person_id)).size).toBe(30);

			// Each holder cancels: the waiter is offered the place; nobody accepts in time.
			for (const p of pairs) await cancel(t.db, { reservationId: p.held.reservationId, actor: { accountId: null, personId: p.holder.id } });
			clock.advance(13 * 60 * 60_000);
			await Promise.all([expireOffers(t.db), expireOffers(other.db), expireOffers(t.db), expireOffers(other.db)]);
			const waiters = pairs.map((p) => p.waiter.id);
			const expired = await t.db
				.selectFrom('notification')
				.select('person_id')
				.where('kind', '=', 'booking_offer_expired')
				.where('person_id', 'in', waiters)
				.execute();
			expect(expired).toHaveLength(30);
			const offered = await t.db
				.selectFrom('notification')
				.select('person_id')
				.where('kind', '=', 'booking_offered')
				.where('person_id', 'in', waiters)
				.execute();
			expect(offered).toHaveLength(30);
		} finally {
			resetClock();
			await other.close();
		}
	});
});
