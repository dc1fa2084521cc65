import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { openPostgres } from '../../src/lib/server/db/connect';
import { enqueue, registerJob, runDueJobs } from '../../src/lib/server/jobs/queue';
import { listNotifications, markRead, notify, unreadCount } from '../../src/lib/server/notifications/notify';
import { deliverDue, failedMessages, MAX_ATTEMPTS, retryDelay, retryMessage } from '../../src/lib/server/notifications/outbox';
import type { OutgoingMessage, Sender } from '../../src/lib/server/notifications/sender';
import { describeConcurrent } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createPerson } from '../helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const recording = () => {
	const sent: OutgoingMessage[] = [];
	const sender: Sender = { send: async (m) => void sent.push(m) };
	return { sent, sender };
};
const failing: Sender = {
	send: async () => {
		throw new Error('gateway down for 13800138000');
	}
};

describe('notifications', () => {
	it('land in the inbox and go out in the reader’s language', async () => {
		const a = await createAccount(t.db, { locale: 'en' });
		await notify(t.db, { personId: a.personId, kind: 'test', link: '/me' });
		expect(await unreadCount(t.db, a.personId)).toBe(1);
		const { sent, sender } = recording();
		await deliverDue(t.db, { sender });
		const mine = sent.filter((m) => m.address === a.login);
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({
			channel: 'sms',
			kind: 'test',
			subject: 'Test notification',
			text: 'This is a test notification.\n/me'
		});
		const again = recording();
		await deliverDue(t.db, { sender: again.sender });
		expect(again.sent.filter((m) => m.address === a.login)).toHaveLength(0);
	});

	it('reach a person without an account by SMS only, and nobody without a contact', async () => {
		const reachable = await createPerson(t.db);
		const unreachable = await createPerson(t.db, { phone: null });
		await notify(t.db, { personId: reachable.id, kind: 'test' });
		await notify(t.db, { personId: unreachable.id, kind: 'test' });
		const rows = await t.db.selectFrom('outbox').select('person_id').where('person_id', 'in', [reachable.id, unreachable.id]).execute();
		expect(rows.map((r) => r.person_id)).toEqual([reachable.id]);
	});

	it('can be marked read only by their own person', async () => {
		const me = await createAccount(t.db);
		const other = await createAccount(t.db);
		const id = await notify(t.db, { personId: other.personId, kind: 'test' });
		expect(await markRead(t.db, me.personId, id)).toBe(0);
		expect(await unreadCount(t.db, other.personId)).toBe(1);
		expect(await markRead(t.db, other.personId, id)).toBe(1);
		expect((await listNotifications(t.db, other.personId))[0]!.read_at).toBeInstanceOf(Date);
	});

	it('are retried with a growing delay when the sender fails, then shown to admins as failed', async () => {
		const clock = fixedClock('2026-12-01T02:00:00Z');
		setClock(clock);
		const a = await createAccount(t.db);
		await notify(t.db, { personId: a.personId, kind: 'test' });
		const row = () => t.db.selectFrom('outbox').selectAll().where('person_id', '=', a.personId).executeTakeFirstOrThrow();
		for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
			await deliverDue(t.db, { sender: failing });
			const r = await row();
			expect(r.attempts).toBe(attempt);
			if (attempt < MAX_ATTEMPTS) {
				expect(r.status).toBe('pending');
				expect(r.next_attempt_at.getTime() - clock.now().getTime()).toBe(retryDelay(attempt));
				// Not due again before its delay.
				await deliverDue(t.db, { sender: failing });
				expect((await row()).attempts).toBe(attempt);
				clock.advance(retryDelay(attempt));
			}
		}
		const final = await row();
		expect(final.status).toBe('failed');
		expect(final.last_error).toBe('gateway down for [phone]');
		expect((await failedMessages(t.db)).map((m) => m.id)).toContain(final.id);

		expect(await retryMessage(t.db, final.id)).toBe(true);
		const { sent, sender } = recording();
		await deliverDue(t.db, { sender });
		expect(sent.map((m) => m.outboxId)).toContain(final.id);
		expect((await row()).status).toBe('sent');
	});

	it('are picked up again when a server died while sending (its lease ran out)', async () => {
		const clock = fixedClock('2026-12-02T02:00:00Z');
		setClock(clock);
		const a = await createAccount(t.db);
		await notify(t.db, { personId: a.personId, kind: 'test' });
		await t.db
			.updateTable('outbox')
			.set({ status: 'sending', next_attempt_at: new Date(clock.now().getTime() + 5 * 60_000) })
			.where('person_id', '=', a.personId)
			.execute();
		const early = recording();
		await deliverDue(t.db, { sender: early.sender });
		expect(early.sent.filter((m) => m.address === a.login)).toHaveLength(0);
		clock.advance(5 * 60_000);
		const late = recording();
		await deliverDue(t.db, { sender: late.sender });
		expect(late.sent.filter((m) => m.address === a.login)).toHaveLength(1);
	});
});

describe('background jobs', () => {
	it('run when due, once, and a dedupe key enqueues a job only once', async () => {
		const clock = fixedClock('2026-12-01T02:00:00Z');
		setClock(clock);
		const seen: string[] = [];
		registerJob('test.record', async (_db, payload) => void seen.push(String((payload as { n: string }).n)));
		expect(await enqueue(t.db, 'test.record', { n: 'later' }, { runAt: new Date(clock.now().getTime() + 60_000), dedupeKey: 'once' })).toBe(
			true
		);
		expect(await enqueue(t.db, 'test.record', { n: 'later' }, { dedupeKey: 'once' })).toBe(false);
		await runDueJobs(t.db);
		expect(seen).toEqual([]);
		clock.advance(60_000);
		await runDueJobs(t.db);
		await runDueJobs(t.db);
		expect(seen).toEqual(['later']);
	});

	it('are retried after a failure', async () => {
		setClock(fixedClock('2026-12-01T02:00:00Z'));
		let calls = 0;
		registerJob('test.flaky', async () => {
			calls++;
			if (calls === 1) throw new Error('first time fails');
		});
		await enqueue(t.db, 'test.flaky', {});
		await runDueJobs(t.db);
		const after = await t.db
			.selectFrom('job')
			.select(['status', 'attempts', 'last_error'])
			.where('kind', '=', 'test.flaky')
			.executeTakeFirstOrThrow();
		expect(after).toEqual({ status: 'pending', attempts: 1, last_error: 'first time fails' });
		setClock(fixedClock('2026-12-01T02:01:00Z'));
		await runDueJobs(t.db);
		expect(calls).toBe(2);
		expect((await t.db.selectFrom('job').select('status').where('kind', '=', 'test.flaky').executeTakeFirstOrThrow()).status).toBe('done');
	});
});

describeConcurrent('two workers on one PostgreSQL database', () => {
	it('do each job and send each message exactly once', async () => {
		const other = openPostgres(t.url!, 10);
		try {
			await sql`CREATE TABLE IF NOT EXISTS job_test_log (job_n int NOT NULL)`.execute(t.db);
			registerJob('test.count', async (db, payload) => {
				await sql`INSERT INTO job_test_log (job_n) VALUES (${(payload as { n: number }).n})`.execute(db);
			});
			for (let n = 0; n < 200; n++) await enqueue(t.db, 'test.count', { n });
			const people = await Promise.all(Array.from({ length: 60 }, () => createPerson(t.db)));
			for (const p of people) await notify(t.db, { personId: p.id, kind: 'test' });

			const { sent, sender } = recording();
			const worker = async (db: typeof t.db) => {
				for (let round = 0; round < 40; round++) {
					await Promise.all([runDueJobs(db, 5), deliverDue(db, { sender, limit: 5 })]);
				}
			};
			await Promise.all([worker(t.db), worker(other.db), worker(t.db), worker(other.db)]);

			const { rows } = await sql<{
				job_n: number;
				times: number;
			}>`SELECT job_n, count(*)::int AS times FROM job_test_log GROUP BY job_n`.execute(t.db);
			expect(rows).toHaveLength(200);
			expect(rows.every((r) => r.times === 1)).toBe(true);
			const addresses = sent.map((m) => m.address).filter((addr) => people.some((p) => p.phone === addr));
			expect(addresses).toHaveLength(60);
			expect(new Set(addresses).size).toBe(60);
		} finally {
			await other.close();
		}
	});
});
