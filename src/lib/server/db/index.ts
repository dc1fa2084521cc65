/**
 * The portal's one database instance. `startDatabase()` opens it once per process (the server's
 * init hook calls it); `db()` hands it to routes and services. Kept on `globalThis` so that
 * `vite dev` module reloads reuse the open embedded database instead of opening it twice.
 */
import type { Kysely } from 'kysely';
import { config, type Config } from '../config';
import { openEmbedded, openPostgres, type DatabaseHandle } from './connect';
import type { Database } from './schema';

const KEY = Symbol.for('healthy-dongmen.database');
type Holder = { [KEY]?: Promise<DatabaseHandle> };
const holder = globalThis as Holder;

let current: DatabaseHandle | undefined;

export function startDatabase(cfg: Config = config()): Promise<DatabaseHandle> {
	holder[KEY] ??= cfg.databaseUrl
		? Promise.resolve(openPostgres(cfg.databaseUrl, cfg.dbPoolSize, cfg.dbTimeouts))
		: openEmbedded(cfg.dataDir);
	return holder[KEY].then((handle) => (current = handle));
}

export function db(): Kysely<Database> {
	if (!current) throw new Error('The database is not open yet: startDatabase() runs in the server init hook.');
	return current.db;
}

/** The database for long work (exports, the worker): the same data with longer statement and lock limits. */
export function longDb(): Kysely<Database> {
	if (!current) throw new Error('The database is not open yet: startDatabase() runs in the server init hook.');
	return current.longDb;
}

export function databaseKind(): DatabaseHandle['kind'] | undefined {
	return current?.kind;
}

export async function stopDatabase(): Promise<void> {
	const pending = holder[KEY];
	delete holder[KEY];
	current = undefined;
	if (pending) await (await pending).close();
}

export type { Database } from './schema';
