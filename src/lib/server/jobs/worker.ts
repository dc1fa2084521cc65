/**
 * The background worker every app server runs: each tick it delivers the outbox, runs due jobs and
 * the periodic tasks that modules register (offer expiry, reminders, no-shows…). Periodic tasks must
 * be safe when two servers run them at once: they claim their rows with SKIP LOCKED or conditional
 * updates, or enqueue jobs with a dedupe key.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { isDatabaseUnavailable } from '../db/unavailable';
import { errorFields, log } from '../log';
import { deliverDue } from '../notifications/outbox';
import { runDueJobs } from './queue';

export type PeriodicTask = (db: Kysely<Database>) => Promise<unknown>;
const periodic = new Map<string, PeriodicTask>();

export function registerPeriodic(name: string, task: PeriodicTask): void {
	periodic.set(name, task);
}

/**
 * One round of everything; also what tests call instead of waiting for the timer. A task's own
 * failure is logged and the round goes on; the database being out of reach ends the round (it
 * throws), since every other task would fail the same way.
 */
export async function tick(db: Kysely<Database>): Promise<void> {
	for (const [name, task] of periodic) {
		try {
			await task(db);
		} catch (error) {
			if (isDatabaseUnavailable(error)) throw error;
			log.warn('periodic_failed', { task: name, ...errorFields(error) });
		}
	}
	await runDueJobs(db);
	await deliverDue(db);
}

export type Worker = { stop(): Promise<void> };

/**
 * Runs `tick` every `intervalMs`. While the database is out of reach the worker says so once
 * (`worker_paused`) and once more when a round succeeds again (`worker_resumed`), instead of a
 * warning every round; it keeps trying at the same pace, so it resumes as soon as the database does.
 */
export function startWorker(db: Kysely<Database>, intervalMs: number): Worker {
	let running: Promise<void> | null = null;
	let stopped = false;
	let paused = false;
	const timer = setInterval(() => {
		if (running || stopped) return; // A slow round is never overlapped by the next.
		running = tick(db)
			.then(() => {
				if (paused) log.info('worker_resumed');
				paused = false;
			})
			.catch((error) => {
				if (!isDatabaseUnavailable(error)) return log.error('worker_failed', errorFields(error));
				if (!paused) log.warn('worker_paused', { reason: 'database unavailable', ...errorFields(error) });
				paused = true;
			})
			.finally(() => (running = null));
	}, intervalMs);
	timer.unref();
	return {
		async stop() {
			stopped = true;
			clearInterval(timer);
			await running;
		}
	};
}
