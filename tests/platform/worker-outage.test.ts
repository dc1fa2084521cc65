/**
 * While the database is out of reach the worker says so once, not every round, and says so again
 * when it is back; a task's own failure is still logged each time.
 */
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { registerPeriodic, startWorker } from '../../src/lib/server/jobs/worker';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => vi.restoreAllMocks());

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const until = async (done: () => boolean) => {
	for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

it('logs one pause and one resumption for an outage of many rounds, and every failure of a task of its own', async () => {
	const events: string[] = [];
	vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
		for (const line of String(chunk).split('\n').filter(Boolean)) events.push(JSON.parse(line).event);
		return true;
	});
	let state: 'down' | 'up' | 'buggy' = 'down';
	let rounds = 0;
	registerPeriodic('test.outage', async () => {
		rounds++;
		if (state === 'down') throw refused();
		if (state === 'buggy') throw new TypeError('a bug of the task');
	});
	const worker = startWorker(t.db, 5);
	try {
		await until(() => rounds >= 10);
		expect(events).toEqual(['worker_paused']);

		state = 'up';
		const at = rounds;
		await until(() => rounds >= at + 3);
		expect(events).toEqual(['worker_paused', 'worker_resumed']);

		state = 'buggy';
		const then = rounds;
		await until(() => rounds >= then + 3);
	} finally {
		await worker.stop();
	}
	const tail = events.slice(2);
	expect(tail.length).toBeGreaterThanOrEqual(3);
	expect(new Set(tail)).toEqual(new Set(['periodic_failed']));
});
