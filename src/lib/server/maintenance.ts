/** Housekeeping every app server may run at any time: each statement is idempotent. */
import { now } from './clock';
import { registerPeriodic } from './jobs/worker';

const DAY_MS = 24 * 60 * 60_000;

export function registerMaintenance(): void {
	registerPeriodic('expired-sessions', async (db) => {
		await db.deleteFrom('session').where('expires_at', '<', now()).execute();
	});
	registerPeriodic('expired-devices', async (db) => {
		await db.deleteFrom('device_cookie').where('expires_at', '<', now()).execute();
	});
	registerPeriodic('old-throttles', async (db) => {
		await db
			.deleteFrom('throttle')
			.where('last_at', '<', new Date(now().getTime() - DAY_MS))
			.execute();
	});
	registerPeriodic('old-tokens', async (db) => {
		await db
			.deleteFrom('one_time_token')
			.where('expires_at', '<', new Date(now().getTime() - 30 * DAY_MS))
			.execute();
	});
}
