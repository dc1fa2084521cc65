/**
 * Concurrency tests prove nothing on PGlite (one connection: everything is already serial). They
 * run on real PostgreSQL; without it they are left out loudly, and under CI they fail instead,
 * except in the PGlite-only pass of .ci/run (HD_PGLITE_PASS=1), where leaving them out is the point.
 */
import { describe, it } from 'vitest';
import { because } from '../setup/skip-reason';
import { onPostgres } from './db';

/** A `describe` that runs on PostgreSQL only; `reason` is shown in npm test's skipped-tests summary. */
function onPostgresOnly(reason: string): (name: string, body: () => void) => void {
	return (name, body) => {
		if (onPostgres()) {
			describe(name, body);
			return;
		}
		if (process.env.CI && !process.env.HD_PGLITE_PASS) {
			describe(name, () => {
				it('needs real PostgreSQL: set TEST_DATABASE_URL', () => {
					throw new Error('Concurrency tests must run on PostgreSQL under CI, and TEST_DATABASE_URL is not set.');
				});
			});
			return;
		}
		console.warn(`\n[tests] LEFT OUT (needs PostgreSQL, set TEST_DATABASE_URL): ${name}\n`);
		describe.skip(name, because(`needs PostgreSQL (set TEST_DATABASE_URL): ${reason}`), body);
	};
}

export const describeConcurrent = onPostgresOnly('a concurrency test proves nothing on PGlite’s single connection');

/**
 * HTTP tests that must write fixtures into the server's database while it runs: only PostgreSQL
 * allows a second connection (the embedded database belongs to the server process alone).
 */
export const describeOnPostgres = onPostgresOnly('writes into a running server’s database, which PGlite keeps to that process');
