/**
 * A transaction that services join instead of opening their own: `transaction().execute(fn)` on the
 * result runs `fn` inside `trx` (Kysely refuses a transaction within a transaction). For work made
 * of many service calls that must land all together or not at all, such as the demo fill. A failure
 * anywhere rolls everything back, so it suits only callers that let errors end the whole transaction.
 */
import type { Kysely, Transaction } from 'kysely';

export function joinTransaction<DB>(trx: Transaction<DB>): Kysely<DB> {
	const joined: Kysely<DB> = new Proxy(trx, {
		get(target, property) {
			if (property === 'transaction') return () => ({ execute: <T>(fn: (t: Kysely<DB>) => Promise<T>) => fn(joined) });
			// Kysely keeps its state in private fields: methods must run on the transaction itself.
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		}
	});
	return joined;
}
