/**
 * A database that hangs — up and answering, but a lock is held on the tables a page reads — must
 * not hold every page for long (issue 20, finding 7): requests run with a statement and a lock
 * limit of a few seconds, and a statement ended by either answers 503 with the outage page, like a
 * database that is down. Real server processes on a database of their own on PostgreSQL (the
 * embedded database has one connection: nobody else can hold a lock against a request).
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/lib/server/db/unavailable';
import { describeOnPostgres } from '../helpers/concurrency';
import { createPostgresDatabase } from '../helpers/db';
import { adminQuery } from '../helpers/pg-admin';
import { startServer, type ServerProcess } from '../helpers/servers';

const FIVE_SECONDS = 5_000;

let url = '';
let name = '';
const servers: ServerProcess[] = [];

async function serve(env: Record<string, string> = {}): Promise<ServerProcess> {
	const server = await startServer({ databaseUrl: url, env: { WORKER_INTERVAL_SECONDS: '0', ...env } });
	servers.push(server);
	return server;
}

/** Holds ACCESS EXCLUSIVE on `tables` in an open transaction until `release()`. */
async function holdLock(tables: string[]): Promise<{ release(): Promise<void> }> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	await client.query('BEGIN');
	await client.query(`LOCK TABLE ${tables.join(', ')} IN ACCESS EXCLUSIVE MODE`);
	return {
		release: async () => {
			await client.query('ROLLBACK');
			await client.end();
		}
	};
}

async function timed(href: string, init?: RequestInit): Promise<{ status: number; ms: number; body: string; retryAfter: string | null }> {
	const t0 = Date.now();
	const response = await fetch(href, { headers: { accept: 'text/html' }, ...init });
	const body = await response.text();
	return { status: response.status, ms: Date.now() - t0, body, retryAfter: response.headers.get('retry-after') };
}

describeOnPostgres('a database that hangs behind a held lock', () => {
	beforeAll(async () => {
		({ url, name } = await createPostgresDatabase());
	}, 60_000);

	afterAll(async () => {
		await Promise.all(servers.map((s) => s.stop()));
		const pgInfo = inject('postgres');
		if (pgInfo && name) await adminQuery(pgInfo.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	});

	it('public pages answer 503 with the outage page within 5 seconds, and serve again once the lock is gone', async () => {
		const server = await serve();
		const lock = await holdLock(['occurrence']);
		try {
			// The visitor's home page and the public timetable both read the sessions.
			const [home, timetable] = await Promise.all([timed(server.url), timed(`${server.url}/fitness`)]);
			for (const page of [home, timetable]) {
				expect(page.status).toBe(503);
				expect(page.ms).toBeLessThan(FIVE_SECONDS);
				expect(page.retryAfter).not.toBeNull();
				expect(page.body).toContain('服务暂时不可用');
				expect(page.body).toContain('Temporarily unavailable');
			}
		} finally {
			await lock.release();
		}
		const after = await timed(`${server.url}/fitness`);
		expect(after.status).toBe(200);
		expect(server.output()).toContain('"event":"database_unavailable"');
	}, 60_000);

	it('a statement ended by the statement limit (no lock limit set) is a 503 too, never a 500', async () => {
		const server = await serve({ DB_LOCK_TIMEOUT_MS: '0', DB_STATEMENT_TIMEOUT_MS: '1500' });
		const lock = await holdLock(['occurrence']);
		try {
			const page = await timed(`${server.url}/fitness`);
			expect(page.status).toBe(503);
			expect(page.ms).toBeLessThan(FIVE_SECONDS);
		} finally {
			await lock.release();
		}
	}, 60_000);

	it('recognises what PostgreSQL says when either limit ends a statement', async () => {
		const lock = await holdLock(['community']);
		const pool = new pg.Pool({ connectionString: url, max: 2 });
		try {
			const lockWait = await pool
				.connect()
				.then(async (c) => {
					try {
						await c.query('SET lock_timeout = 200');
						return await c.query('SELECT count(*) FROM community');
					} finally {
						c.release(true);
					}
				})
				.catch((e: unknown) => e);
			const statement = await pool
				.connect()
				.then(async (c) => {
					try {
						await c.query('SET statement_timeout = 200');
						return await c.query('SELECT pg_sleep(2)');
					} finally {
						c.release(true);
					}
				})
				.catch((e: unknown) => e);
			expect((lockWait as { code?: string }).code).toBe('55P03');
			expect((statement as { code?: string }).code).toBe('57014');
			expect(isDatabaseUnavailable(lockWait)).toBe(true);
			expect(isDatabaseUnavailable(statement)).toBe(true);
		} finally {
			await pool.end();
			await lock.release();
		}
	});
});
