/**
 * Background jobs in the database. Any app server may run them: a batch is claimed in a short
 * transaction with FOR UPDATE SKIP LOCKED and leased; handlers run with no transaction held open
 * by the queue; a job whose server died is taken up again when its lease runs out. Handlers must be
 * idempotent (a job can run again after a crash between its work and its 'done' mark), and a
 * dedupe key makes enqueueing the same job twice a no-op.
 */
import { sql, type Kysely } from 'kysely';
import { now } from '../clock';
import type { Database, JsonValue } from '../db/schema';
import { errorFields, log, scrub } from '../log';

export type JobHandler = (db: Kysely<Database>, payload: JsonValue) => Promise<void>;

const handlers = new Map<string, JobHandler>();
export const MAX_JOB_ATTEMPTS = 5;
const LEASE_MS = 5 * 60_000;

export function registerJob(kind: string, handler: JobHandler): void {
	handlers.set(kind, handler);
}

export async function enqueue(
	db: Kysely<Database>,
	kind: string,
	payload: JsonValue,
	options: { runAt?: Date; dedupeKey?: string } = {}
): Promise<boolean> {
	const at = now();
	const result = await db
		.insertInto('job')
		.values({ kind, payload: JSON.stringify(payload), run_at: options.runAt ?? at, dedupe_key: options.dedupeKey ?? null, created_at: at })
		.onConflict((oc) => oc.column('dedupe_key').doNothing())
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

type ClaimedJob = { id: number; kind: string; payload: JsonValue; attempts: number };

async function claim(db: Kysely<Database>, limit: number): Promise<ClaimedJob[]> {
	return db.transaction().execute(async (trx) => {
		const at = now();
		const due = await trx
			.selectFrom('job')
			.select('id')
			.where((eb) =>
				eb.or([
					eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', at)]),
					eb.and([eb('status', '=', 'running'), eb('locked_until', '<', at)])
				])
			)
			.orderBy('run_at')
			.limit(limit)
			.forUpdate()
			.skipLocked()
			.execute();
		if (due.length === 0) return [];
		return trx
			.updateTable('job')
			.set({ status: 'running', attempts: sql`attempts + 1`, locked_until: new Date(at.getTime() + LEASE_MS) })
			.where(
				'id',
				'in',
				due.map((d) => d.id)
			)
			.returning(['id', 'kind', 'payload', 'attempts'])
			.execute();
	});
}

/** Runs due jobs; returns how many finished this round. */
export async function runDueJobs(db: Kysely<Database>, limit = 20): Promise<number> {
	const batch = await claim(db, limit);
	let done = 0;
	for (const job of batch) {
		const handler = handlers.get(job.kind);
		try {
			if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
			await handler(db, job.payload);
			await db.updateTable('job').set({ status: 'done', finished_at: now(), locked_until: null }).where('id', '=', job.id).execute();
			done++;
		} catch (error) {
			const last = job.attempts >= MAX_JOB_ATTEMPTS;
			await db
				.updateTable('job')
				.set({
					status: last ? 'failed' : 'pending',
					locked_until: null,
					last_error: scrub(error instanceof Error ? error.message : String(error)).slice(0, 300),
					run_at: new Date(now().getTime() + 30_000 * 2 ** (job.attempts - 1))
				})
				.where('id', '=', job.id)
				.execute();
			log.warn('job_failed', { jobId: job.id, kind: job.kind, attempts: job.attempts, final: last, ...errorFields(error) });
		}
	}
	return done;
}
