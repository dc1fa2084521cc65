/**
 * A database outage in the log: one warning when requests start being refused for it
 * (`database_unavailable`), and one line when the database answers again (`database_available`,
 * with how many requests were refused and for how long) — not a warning per request, which under
 * load would bury everything else. Whether it is back is asked by a probe every few seconds rather
 * than read from the next request, which might not touch the database at all.
 */
import { sql } from 'kysely';
import { errorFields, log } from '../log';
import { db } from './index';

export type OutageLog = {
	/** One request refused because the database could not be reached. */
	refused(request: { id: string; route: string | null }, error: unknown): void;
	/** Whether an outage is being counted (for tests). */
	readonly active: boolean;
};

export function createOutageLog(probe: () => Promise<unknown>, probeEveryMs = 2_000): OutageLog {
	let outage: { since: number; refused: number; timer: ReturnType<typeof setInterval> } | null = null;
	let probing = false;

	async function check(): Promise<void> {
		if (!outage || probing) return;
		probing = true;
		try {
			await probe();
		} catch {
			return; // Still out of reach: the next probe asks again.
		} finally {
			probing = false;
		}
		log.info('database_available', { refused: outage.refused, seconds: Math.round((Date.now() - outage.since) / 1000) });
		clearInterval(outage.timer);
		outage = null;
	}

	return {
		refused(request, error) {
			if (outage) {
				outage.refused++;
				return;
			}
			log.warn('database_unavailable', { id: request.id, route: request.route ?? 'unmatched', ...errorFields(error) });
			const timer = setInterval(() => void check(), probeEveryMs);
			// A probe must never keep a stopping process alive.
			timer.unref();
			outage = { since: Date.now(), refused: 1, timer };
		},
		get active() {
			return outage !== null;
		}
	};
}

/** The app server's: probes with the request pool, as the next request would. */
export const outageLog = createOutageLog(() => sql`SELECT 1`.execute(db()));
