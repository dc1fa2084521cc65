/** The audit trail: who did what to which record, when. Details never hold personal data. */
import type { Kysely } from 'kysely';
import { now } from './clock';
import type { Database, JsonValue } from './db/schema';

export type AuditEntry = {
	actorAccountId: number | null;
	action: string;
	subjectType: string;
	subjectId?: string | number | null;
	communityId?: number | null;
	details?: Record<string, JsonValue>;
};

export async function audit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			at: now(),
			actor_account_id: entry.actorAccountId,
			action: entry.action,
			subject_type: entry.subjectType,
			subject_id: entry.subjectId == null ? null : String(entry.subjectId),
			community_id: entry.communityId ?? null,
			details: JSON.stringify(entry.details ?? {})
		})
		.execute();
}
