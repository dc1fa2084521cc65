/**
 * What a server process does before it serves: open the database, migrate, fill demo data.
 * Several app servers may start at once on one PostgreSQL: the migrator takes an advisory lock.
 */
import { checkOrigin, config } from './config';
import { startDatabase, stopDatabase } from './db';
import { migrateToLatest } from './db/migrate';
import { retireDemoAccounts, seedDemoData } from './demo/seed';
import { startWorker, type Worker } from './jobs/worker';
import { errorFields, log } from './log';
import { registerModules } from './modules';

let started: Promise<void> | undefined;
let worker: Worker | undefined;

export function startPortal(): Promise<void> {
	started ??= (async () => {
		const cfg = config();
		checkOrigin(cfg);
		const t0 = performance.now();
		const handle = await startDatabase(cfg);
		if (cfg.migrateOnStart) {
			const result = await migrateToLatest(handle.longDb);
			log.info('migrated', { applied: result.results?.length ?? 0 });
		}
		if (cfg.demo) await seedDemoData(handle.longDb, { midway: cfg.demoFillPauseMs ? () => pauseDemoFill(cfg.demoFillPauseMs) : undefined });
		else await retireDemoAccounts(handle.longDb);
		registerModules();
		if (cfg.workerIntervalMs > 0) worker = startWorker(handle.longDb, cfg.workerIntervalMs);
		log.info('started', { database: handle.kind, demo: cfg.demo, ms: Math.round(performance.now() - t0) });
	})();
	return started;
}

async function pauseDemoFill(ms: number): Promise<void> {
	log.info('demo_fill_paused', { ms });
	await new Promise((resolve) => setTimeout(resolve, ms));
}

let stopping = false;

export async function stopPortal(reason: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	try {
		await worker?.stop();
		await stopDatabase();
		log.info('stopped', { reason });
	} catch (error) {
		log.error('stop_failed', errorFields(error));
	}
}
