/**
 * An isolated, migrated database for one test file: a clone of the run's template on PostgreSQL
 * (TEST_DATABASE_URL), or a fresh in-memory PGlite otherwise.
 */
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openInMemory, openPostgres, type DatabaseHandle } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { adminQuery, databaseUrl } from './pg-admin';

export type TestDatabase = DatabaseHandle & {
	/** The database's own URL, for server processes and raw connections (PostgreSQL only). */
	url: string | null;
};

export function onPostgres(): boolean {
	return inject('postgres') !== null;
}

/** A new empty database cloned from the migrated template; on PostgreSQL only. */
export async function createPostgresDatabase(): Promise<{ name: string; url: string }> {
	const pgInfo = inject('postgres');
	if (!pgInfo) throw new Error('createPostgresDatabase needs TEST_DATABASE_URL');
	const name = `hd_${pgInfo.runId}_${randomBytes(4).toString('hex')}`;
	// A clone fails while anything else is connected to the template; retry briefly.
	for (let attempt = 0; ; attempt++) {
		try {
			await adminQuery(pgInfo.url, `CREATE DATABASE ${name} TEMPLATE ${pgInfo.template}`);
			break;
		} catch (error) {
			if (attempt >= 20) throw error;
			await new Promise((r) => setTimeout(r, 100 + attempt * 50));
		}
	}
	return { name, url: databaseUrl(pgInfo.url, name) };
}

export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
	if (onPostgres()) {
		const pgInfo = inject('postgres')!;
		const { name, url } = await createPostgresDatabase();
		const handle = openPostgres(url, options.poolSize ?? 12);
		return {
			...handle,
			url,
			close: async () => {
				await handle.close();
				await adminQuery(pgInfo.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			}
		};
	}
	const handle = await openInMemory();
	await migrateToLatest(handle.db);
	return { ...handle, url: null };
}
