/**
 * The background worker every app server runs: each tick it delivers the outbox, runs due jobs and
 * the periodic tasks that modules register (offer expiry, reminders, no-shows…). Periodic tasks must
 * be safe when two servers run them at once: they claim their rows with SKIP LOCKED or conditional
 * updates, or enqueue jobs with a dedupe key.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { errorFields, log } from '../log';
import { deliverDue } from '../notifications/outbox';
import { runDueJobs } from './queue';

export type PeriodicTask = (db: Kysely<Database>) => Promise<unknown>;
const periodic = new Map<string, PeriodicTask>();

export function registerPeriodic(name: string, task: PeriodicTask): void {
	periodic.set(name, task);
}

/** One round of everything; also what tests call instead of waiting for the timer. */
export async function tick(db: Kysely<Database>): Promise<void> {
	for (const [name, task] of periodic) {
		try {
			await task(db);
		} catch (error) {
			log.warn('periodic_failed', { task: name, ...errorFields(error) });
		}
	}
	await runDueJobs(db);
	await deliverDue(db);
}

export type Worker = { stop(): Promise<void> };

export function startWorker(db: Kysely<Database>, intervalMs: number): Worker {
	let running: Promise<void> | null = null;
	let stopped = false;
	const timer = setInterval(() => {
		if (running || stopped) return; // A slow round is never overlapped by the next.
		running = tick(db)
			.catch((error) => log.error('worker_failed', errorFields(error)))
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
