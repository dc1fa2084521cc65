/** PostgreSQL error codes, the same from `pg` and PGlite. */
type PgError = { code?: string; constraint?: string; message?: string };

function pgError(error: unknown): PgError | null {
	return typeof error === 'object' && error !== null && 'code' in error ? (error as PgError) : null;
}

/** A unique constraint refused the row; with `constraint`, that one (matched in the message on PGlite). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
	const e = pgError(error);
	if (e?.code !== '23505') return false;
	return !constraint || e.constraint === constraint || (e.message ?? '').includes(constraint);
}

export function isExclusionViolation(error: unknown, constraint?: string): boolean {
	const e = pgError(error);
	if (e?.code !== '23P01') return false;
	return !constraint || e.constraint === constraint || (e.message ?? '').includes(constraint);
}
