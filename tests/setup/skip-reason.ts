/**
 * Why a Vitest test is skipped, for the summary at the end of `npm test` (scripts/test.js).
 * Vitest's JSON report carries no skip message, but it carries each test's `meta`, which a suite
 * passes on to its tests:
 *
 *   describe.skip(name, because('needs PostgreSQL: set TEST_DATABASE_URL'), body);
 *   it.skipIf(missing)(name, because(`needs ${missing}`), fn);
 */
declare module 'vitest' {
	interface TaskMeta {
		/** Shown in the skipped-tests summary of `npm test` when the test is skipped. */
		skipReason?: string;
	}
}

export function because(reason: string): { meta: { skipReason: string } } {
	return { meta: { skipReason: reason } };
}
