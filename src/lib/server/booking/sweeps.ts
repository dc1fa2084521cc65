/**
 * The booking core's background work, run by every app server's worker: expired offers pass on,
 * reminders go out the day before, and places not checked in by the end become no-shows. Each
 * claims its rows (SKIP LOCKED or a conditional update), so two servers never do one thing twice.
 */
import { sql, type Kysely } from 'kysely';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { registerPeriodic } from '../jobs/worker';
import { notify } from '../notifications/notify';
import { transition } from './history';
import { expireOffers } from './reservations';

/** Reminders go out from 10:00 (Shanghai) on the day before the start. */
export const REMINDER_HOUR = 10;

export async function sendReminders(db: Kysely<Database>, limit = 100): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const at = now();
		const due = await trx
			.selectFrom('reservation')
			.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
			.select(['reservation.id', 'reservation.person_id', 'occurrence.title_zh', 'occurrence.title_en', 'occurrence.starts_at'])
			.where('reservation.status', '=', 'reserved')
			.where('reservation.reminder_sent_at', 'is', null)
			.where('occurrence.starts_at', '>', at)
			.where(
				sql<boolean>`((occurrence.starts_at AT TIME ZONE 'Asia/Shanghai')::date - 1 + make_time(${REMINDER_HOUR}, 0, 0)) <= (${at}::timestamptz AT TIME ZONE 'Asia/Shanghai')`
			)
			.limit(limit)
			.forUpdate('reservation')
			.skipLocked()
			.execute();
		for (const r of due) {
			await trx.updateTable('reservation').set({ reminder_sent_at: at }).where('id', '=', r.id).execute();
			await notify(trx, {
				personId: r.person_id,
				kind: 'booking_reminder',
				params: { title_zh: r.title_zh, title_en: r.title_en, when: r.starts_at.toISOString() },
				link: '/me/reservations'
			});
		}
		return due.length;
	});
}

export async function markNoShows(db: Kysely<Database>, limit = 200): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const ended = await trx
			.selectFrom('reservation')
			.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
			.select('reservation.id')
			.where('reservation.status', '=', 'reserved')
			.where('occurrence.ends_at', '<=', now())
			.limit(limit)
			.forUpdate('reservation')
			.skipLocked()
			.execute();
		for (const r of ended) await transition(trx, r.id, 'reserved', 'no_show', null, 'not_checked_in');
		return ended.length;
	});
}

export function registerBookingWork(): void {
	registerPeriodic('booking-offers', (db) => expireOffers(db));
	registerPeriodic('booking-reminders', (db) => sendReminders(db));
	registerPeriodic('booking-no-shows', (db) => markNoShows(db));
}
