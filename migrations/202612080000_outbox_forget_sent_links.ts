import { sql, type Kysely } from 'kysely';

// Password links (reset, set-password) stayed in clear in outbox.payload after the message went
// out, and were still usable for an hour (reset) or a week (set-password). From now on the worker
// drops a secret link when the message is sent or given up (notifications/outbox.ts); this forgets
// the ones already sent. Nothing to put back: `down` does nothing. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
	await sql`UPDATE outbox SET payload = payload - 'link' WHERE kind IN ('password_reset', 'set_password') AND status IN ('sent', 'failed') AND payload ? 'link'`.execute(
		db
	);
}

export async function down(): Promise<void> {}
