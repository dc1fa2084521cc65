/**
 * A production server on its own database that the test file can also read and write, on both
 * databases: on PostgreSQL the file keeps a connection next to the server; on embedded PGlite,
 * which one process holds at a time, the server is stopped while the file looks, and started again
 * on the same address (sessions live in the database, so logged-in clients stay logged in).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openEmbedded } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import type { Database } from '../../src/lib/server/db/schema';
import { createTestDatabase, onPostgres } from '../helpers/db';
import { freePort, startServer, type ServerProcess } from '../helpers/servers';

export type Portal = {
	url: string;
	/** Runs `fn` on the server's database (between requests). */
	inspect<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
	/** What the server printed (its log), for failure messages. */
	output(): string;
	close(): Promise<void>;
};

async function waitHealthy(url: string, server: ServerProcess): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (server.child.exitCode !== null) throw new Error(`The server exited:\n${server.output()}`);
		try {
			if ((await fetch(`${url}/healthz`)).ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	await server.stop('SIGKILL');
	throw new Error(`The server was not healthy in time:\n${server.output()}`);
}

export async function startPortal(prepare: (db: Kysely<Database>) => Promise<void>, env: Record<string, string> = {}): Promise<Portal> {
	if (onPostgres()) {
		const database = await createTestDatabase({ poolSize: 2 });
		await prepare(database.db);
		const server = await startServer({ databaseUrl: database.url!, env });
		return {
			url: server.url,
			inspect: (fn) => fn(database.db),
			output: () => server.output(),
			close: async () => {
				await server.stop();
				await database.close();
			}
		};
	}

	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-admin-'));
	const offline = async <T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T> => {
		const handle = await openEmbedded(dataDir);
		try {
			return await fn(handle.db);
		} finally {
			await handle.close();
		}
	};
	await offline(async (db) => {
		await migrateToLatest(db);
		await prepare(db);
	});
	// A fixed address across restarts, so that clients keep their base URL.
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const start = async () => {
		const server = await startServer({ dataDir, env: { ...env, PORT: String(port), ORIGIN: url }, waitHealthy: false });
		await waitHealthy(url, server);
		return server;
	};
	let server = await start();
	let earlier = '';
	return {
		url,
		output: () => earlier + server.output(),
		inspect: async (fn) => {
			await server.stop();
			earlier += server.output();
			try {
				return await offline(fn);
			} finally {
				server = await start();
			}
		},
		close: async () => {
			await server.stop();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
