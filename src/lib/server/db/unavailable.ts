/**
 * Whether an error means "the database cannot be reached right now" (it is down, restarting, out
 * of connections, hangs past the statement or lock limit, or every pooled connection stayed busy
 * past the pool's wait) rather than a bug.
 * Such a request answers 503 with a friendly page; the next one may well succeed, since the pool
 * opens fresh connections by itself once the server is back.
 */

/** Node's socket errors when the server is not there or went away. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs: class 08 (connection exception), 57P01–57P03 (shut down by an administrator, crash
 * of another backend, cannot connect now: starting up or shutting down), 53300 (too many
 * connections), 3D000 (the database does not exist: dropped or not yet created), 57014 and 55P03
 * (a statement ended by statement_timeout, a lock wait ended by lock_timeout: the database hangs
 * behind a held lock or a stuck statement; the portal never cancels a query nor asks NOWAIT).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '3D000', '57014', '55P03']);

/** What `pg` and `pg-pool` throw without a code (their own messages, stable across 8.x). */
const DRIVER_MESSAGES = [
	'timeout exceeded when trying to connect', // pg-pool: waited connectionTimeoutMillis for a free client
	'Connection terminated', // pg: the server closed the socket (also "… unexpectedly", "… due to connection timeout")
	'Client has encountered a connection error and is not queryable',
	'Client was closed and is not queryable'
];

export function isDatabaseUnavailable(error: unknown): boolean {
	// Follow `cause` a few levels: pg-pool wraps its connect timeout, callers may wrap too.
	for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const { code, message } = e as { code?: unknown; message?: unknown };
		if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))) return true;
		if (typeof message === 'string' && DRIVER_MESSAGES.some((m) => message.startsWith(m))) return true;
		// Several addresses tried at once (localhost as ::1 and 127.0.0.1): Node reports an AggregateError.
		if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
	}
	return false;
}
