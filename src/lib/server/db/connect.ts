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
import type { DbTimeouts } from '../config';
import type { Database } from './schema';
import { clusterPath, lockDataDir, partialClusterPath, removePartialClusters } from './data-dir';

export type DatabaseKind = 'postgres' | 'pglite';

export type DatabaseHandle = {
	/** For requests: on PostgreSQL, statements and lock waits end after a few seconds. */
	db: Kysely<Database>;
	/** The same database for long work (migrations, the worker, exports, the demo fill): longer limits. */
	longDb: Kysely<Database>;
	kind: DatabaseKind;
	close(): Promise<void>;
};

/** Connections for long work beside the request pool (the worker and an export or two at once). */
const LONG_POOL_SIZE = 2;

const INT8_OID = 20;
const DATE_OID = 1082;

const parseInt8 = (value: string) => Number(value);
const keepDate = (value: string) => value;

async function useShanghaiTime(connection: DatabaseConnection): Promise<void> {
	await connection.executeQuery(CompiledQuery.raw(`SET TIME ZONE 'Asia/Shanghai'`));
}

/**
 * A `pg` pool on a PostgreSQL server. With `timeouts`, requests get `timeouts.request` and long work
 * its own small pool with `timeouts.long`: a held lock (not an outage: the server still answers) then
 * ends a request's statement within seconds, which answers 503 like an outage, instead of every page
 * waiting for the lock. The limits are startup parameters of each connection, so no statement can run
 * before them; behind PgBouncer in transaction mode, list them in its `track_extra_parameters`.
 */
export function openPostgres(
	connectionString: string,
	poolSize = 10,
	timeouts?: { request: DbTimeouts; long: DbTimeouts }
): DatabaseHandle {
	const db = new Kysely<Database>({ dialect: postgresDialect(connectionString, poolSize, timeouts?.request) });
	const longDb = timeouts ? new Kysely<Database>({ dialect: postgresDialect(connectionString, LONG_POOL_SIZE, timeouts.long) }) : db;
	return {
		db,
		longDb,
		kind: 'postgres',
		close: async () => {
			await db.destroy();
			if (longDb !== db) await longDb.destroy();
		}
	};
}

function postgresDialect(connectionString: string, poolSize: number, timeouts: DbTimeouts | undefined): PostgresDialect {
	const pool = new pg.Pool({
		connectionString,
		max: poolSize,
		// 0 sends nothing: the server's (or the role's) own setting applies.
		statement_timeout: timeouts?.statementMs || undefined,
		lock_timeout: timeouts?.lockMs || undefined,
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
	return new PostgresDialect({ pool, onCreateConnection: useShanghaiTime });
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
	// One connection and no other session: no lock can be held against a request, so no limits.
	return {
		db,
		longDb: db,
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
