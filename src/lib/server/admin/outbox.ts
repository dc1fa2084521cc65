/**
 * The admins' view of messages that could not be delivered, and putting one back in the queue.
 * What admins see is how it failed, never where it was going: no address leaves this module.
 */
import type { Kysely } from 'kysely';
import { audit } from '../audit';
import type { Database } from '../db/schema';
import { failedMessages, retryMessage } from '../notifications/outbox';

export type FailedMessage = { id: number; channel: string; kind: string; attempts: number; lastError: string | null; createdAt: Date };

export async function outboxFailures(db: Kysely<Database>): Promise<FailedMessage[]> {
	const rows = await failedMessages(db);
	return rows.map((r) => ({
		id: r.id,
		channel: r.channel,
		kind: r.kind,
		attempts: r.attempts,
		lastError: r.last_error,
		createdAt: r.created_at
	}));
}

/** Queues a failed message again; false when it is not (or no longer) a failed message. */
export async function retryFailedMessage(db: Kysely<Database>, actorAccountId: number, outboxId: number): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const message = await trx.selectFrom('outbox').select(['channel', 'kind']).where('id', '=', outboxId).executeTakeFirst();
		if (!message || !(await retryMessage(trx, outboxId))) return false;
		await audit(trx, {
			actorAccountId,
			action: 'outbox.retry',
			subjectType: 'outbox',
			subjectId: outboxId,
			details: { channel: message.channel, kind: message.kind }
		});
		return true;
	});
}
