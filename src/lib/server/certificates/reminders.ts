/**
 * Expiry reminders: 90, 30 and 7 days before a certificate runs out, each exactly once,
 * with a link to the course's coming sessions. Each reminder is claimed by inserting its row (the
 * primary key says once), in the same transaction as the notice, so two workers never both send it.
 * Only the nearest threshold is sent (a certificate issued 20 days before its end gets the 7-day
 * reminder, not three at once), and nobody is reminded whose newer certificate of the course is valid.
 */
import { sql, type Kysely } from 'kysely';
import { addDays, now, today } from '../clock';
import type { Database } from '../db/schema';
import { registerPeriodic } from '../jobs/worker';
import { notify } from '../notifications/notify';

export const REMINDER_DAYS = [90, 30, 7] as const;

export async function sendExpiryReminders(db: Kysely<Database>, limit = 200): Promise<number> {
	const day = today();
	let sent = 0;
	for (const [i, days] of REMINDER_DAYS.entries()) {
		const after = REMINDER_DAYS[i + 1] ?? -1;
		sent += await db.transaction().execute(async (trx) => {
			const due = await sql<{ id: number; person_id: number; valid_until: string; title_zh: string; title_en: string; course_id: number }>`
				SELECT c.id, c.person_id, c.valid_until, tc.title_zh, tc.title_en, tc.id AS course_id
				FROM certificate c JOIN training_course tc ON tc.id = c.course_id
				WHERE c.revoked_at IS NULL
					AND c.valid_until <= ${addDays(day, days)}::date AND c.valid_until > ${addDays(day, after)}::date
					AND NOT EXISTS (SELECT 1 FROM certificate_reminder r WHERE r.certificate_id = c.id AND r.days_before = ${days})
					AND NOT EXISTS (SELECT 1 FROM certificate newer WHERE newer.person_id = c.person_id AND newer.course_id = c.course_id
						AND newer.revoked_at IS NULL AND newer.valid_until > c.valid_until)
				ORDER BY c.valid_until, c.id
				LIMIT ${limit}
				FOR UPDATE OF c SKIP LOCKED`.execute(trx);
			let count = 0;
			for (const c of due.rows) {
				const claimed = await sql`INSERT INTO certificate_reminder (certificate_id, days_before, sent_at)
					VALUES (${c.id}, ${days}, ${now()}) ON CONFLICT DO NOTHING RETURNING certificate_id`.execute(trx);
				if (!claimed.rows.length) continue;
				const left = Math.round((Date.parse(`${c.valid_until}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
				await notify(trx, {
					personId: Number(c.person_id),
					kind: 'certificate_expiring',
					params: { title_zh: c.title_zh, title_en: c.title_en, until: c.valid_until, days: left },
					link: `/training?course=${c.course_id}`
				});
				count++;
			}
			return count;
		});
	}
	return sent;
}

export function registerCertificateWork(): void {
	registerPeriodic('certificate-expiry-reminders', (db) => sendExpiryReminders(db));
}
