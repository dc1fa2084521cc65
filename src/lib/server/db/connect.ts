/**
 * Opens the portal's database: a `pg` pool on a real PostgreSQL server when a URL is given,
 * otherwise embedded PostgreSQL (PGlite) in a locked data directory.
 *
 * Both are set up to return the same JavaScript types: `int8` as number (counts and ids stay far
 * below 2^53), `numeric` as string, `date` as a 'YYYY-MM-DD' string, `timestamptz` as Date. Every
 * connection works in Asia/Shanghai so that SQL date arithmetic matches the portal's calendar.
 */
import fs from 'node:fs';
import { CompiledQuery, Kysely, PGliteDialect, PostgresDialect, type DatabaseConnection } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { Database } from './schema';
import { clusterPath, lockDataDir, partialClusterPath, removePartialClusters } from './data-dir';

export type DatabaseKind = 'postgres' | 'pglite';

export type DatabaseHandle = {
	db: Kysely<Database>;
	kind: DatabaseKind;
	close(): Promise<void>;
};

const INT8_OID = 20;
const DATE_OID = 1082;

const parseInt8 = (value: string) => Number(value);
const keepDate = (value: string) => value;

async function useShanghaiTime(connection: DatabaseConnection): Promise<void> {
	await connection.executeQuery(CompiledQuery.raw(`SET TIME ZONE 'Asia/Shanghai'`));
}

export function openPostgres(connectionString: string, poolSize = 10): DatabaseHandle {
	const pool = new pg.Pool({
		connectionString,
		max: poolSize,
		// Also how long a request waits for a free connection. A burst of bookings for one session
		// queues behind that session's row lock (500 at once take several seconds on two cores):
		// waiting is better than failing. A server that is down refuses at once, whatever this says.
		connectionTimeoutMillis: 20_000,
		idleTimeoutMillis: 30_000,
		types: {
			getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
				if (oid === INT8_OID) return parseInt8;
				if (oid === DATE_OID) return keepDate;
				return pg.types.getTypeParser(oid, format);
			}) as typeof pg.types.getTypeParser
		}
	});
	// A client whose server went away emits 'error'; without a listener the whole process dies.
	// The pool listens on idle clients only, so each client listens for itself while checked out
	// (node-postgres #2439, #3202): the query in flight still fails with the error, and the pool
	// drops the broken client when it is released.
	pool.on('error', () => {});
	pool.on('connect', (client) => client.on('error', () => {}));
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool, onCreateConnection: useShanghaiTime }) });
	return { db, kind: 'postgres', close: () => db.destroy() };
}

function createPGlite(dataDir: string | undefined): Promise<PGlite> {
	return PGlite.create({
		dataDir,
		extensions: { btree_gist },
		parsers: { [INT8_OID]: parseInt8, [DATE_OID]: keepDate }
	});
}

function pgliteHandle(client: PGlite, release: () => void): DatabaseHandle {
	const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: client, onCreateConnection: useShanghaiTime }) });
	let closed: Promise<void> | undefined;
	return {
		db,
		kind: 'pglite',
		close: () =>
			(closed ??= (async () => {
				try {
					await db.destroy();
					if (!client.closed) await client.close();
				} finally {
					release();
				}
			})())
	};
}

/** Embedded PostgreSQL in `dataDir`, held by this process alone until `close()`. */
export async function openEmbedded(dataDir: string): Promise<DatabaseHandle> {
	const lock = lockDataDir(dataDir);
	try {
		removePartialClusters(dataDir);
		const cluster = clusterPath(dataDir);
		if (!fs.existsSync(cluster)) {
			const partial = partialClusterPath(dataDir);
			const fresh = await createPGlite(partial);
			await fresh.query('SELECT 1');
			await fresh.close();
			fs.renameSync(partial, cluster);
		}
		return pgliteHandle(await createPGlite(cluster), lock.release);
	} catch (error) {
		lock.release();
		throw error;
	}
}

/** Embedded PostgreSQL in memory, for tests. */
export async function openInMemory(): Promise<DatabaseHandle> {
	return pgliteHandle(await createPGlite(undefined), () => {});
}
