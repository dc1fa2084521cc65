import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';

// Bundled at build time, so the production server needs no TypeScript loader to migrate.
const modules = import.meta.glob<Migration>('/migrations/*.ts', { eager: true });

export const migrations: Record<string, Migration> = Object.fromEntries(
	Object.entries(modules).map(([file, module]) => [file.replace(/^.*\//, '').replace(/\.ts$/, ''), module])
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are written against Kysely<any>
export function migrator(db: Kysely<any>): Migrator {
	return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

export class MigrationFailed extends Error {
	constructor(
		readonly migrationName: string | undefined,
		cause: unknown
	) {
		super(`Migration ${migrationName ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
		this.name = 'MigrationFailed';
	}
}

/** Throws on failure: a half-migrated database must never serve requests or pass a test. */
export function check(result: MigrationResultSet): MigrationResultSet {
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error');
		throw new MigrationFailed(failed?.migrationName, result.error);
	}
	return result;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
	return check(await migrator(db).migrateToLatest());
}
