/**
 * Delivering the outbox. A batch is claimed in a short transaction (FOR UPDATE SKIP LOCKED, marked
 * 'sending' with a lease), then sent with no transaction open, then marked sent — or put back with a
 * growing delay, and marked failed after the last attempt, where admins see it. A server that dies
 * mid-send leaves the lease to run out, and another server takes the message up again.
 */
import { sql, type Kysely } from 'kysely';
import { isLocale, translate, type MessageKey } from '$lib/i18n';
import { localizeParams } from '$lib/i18n/params';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { errorFields, log, scrub } from '../log';
import { sender as currentSender, type Sender } from './sender';

export const MAX_ATTEMPTS = 5;
/** Messages whose link holds a live secret (a password link): the outbox forgets it once the message is sent or given up. */
export const SECRET_LINK_KINDS = ['password_reset', 'set_password'];
const withoutSecret = (kind: string) => (SECRET_LINK_KINDS.includes(kind) ? { payload: sql<string>`payload - 'link'` } : {});
const LEASE_MS = 5 * 60_000;
const FIRST_RETRY_MS = 60_000;

/** 1, 2, 4, 8 minutes after the 1st, 2nd, 3rd, 4th failure. */
export function retryDelay(attempts: number): number {
	return FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1);
}

type Claimed = { id: number; channel: 'sms' | 'email'; address: string; locale: string; kind: string; payload: unknown; attempts: number };

async function claim(db: Kysely<Database>, limit: number): Promise<Claimed[]> {
	return db.transaction().execute(async (trx) => {
		const at = now();
		const due = await trx
			.selectFrom('outbox')
			.select('id')
			.where('status', 'in', ['pending', 'sending'])
			.where('next_attempt_at', '<=', at)
			.orderBy('next_attempt_at')
			.limit(limit)
			.forUpdate()
			.skipLocked()
			.execute();
		if (due.length === 0) return [];
		const rows = await trx
			.updateTable('outbox')
			.set({ status: 'sending', attempts: sql`attempts + 1`, next_attempt_at: new Date(at.getTime() + LEASE_MS) })
			.where(
				'id',
				'in',
				due.map((d) => d.id)
			)
			.returning(['id', 'channel', 'address', 'locale', 'kind', 'payload', 'attempts'])
			.execute();
		return rows as Claimed[];
	});
}

export function renderMessage(kind: string, localeValue: string, payload: unknown): { subject: string; text: string } {
	const locale = isLocale(localeValue) ? localeValue : 'zh-CN';
	const p = (payload ?? {}) as { params?: Record<string, string | number>; link?: string | null };
	const params = localizeParams(p.params, locale);
	const body = translate(locale, `notify.${kind}.body` as MessageKey, params);
	return { subject: translate(locale, `notify.${kind}.title` as MessageKey, params), text: p.link ? `${body}\n${p.link}` : body };
}

/** Sends what is due; returns how many were sent and how many failed this round. */
export async function deliverDue(
	db: Kysely<Database>,
	options: { limit?: number; sender?: Sender } = {}
): Promise<{ sent: number; failed: number }> {
	const send = options.sender ?? currentSender();
	const batch = await claim(db, options.limit ?? 20);
	let sent = 0;
	let failed = 0;
	for (const message of batch) {
		const { subject, text } = renderMessage(message.kind, message.locale, message.payload);
		try {
			await send.send({ outboxId: message.id, channel: message.channel, address: message.address, kind: message.kind, subject, text });
			await db
				.updateTable('outbox')
				.set({ status: 'sent', sent_at: now(), last_error: null, ...withoutSecret(message.kind) })
				.where('id', '=', message.id)
				.execute();
			sent++;
		} catch (error) {
			failed++;
			const last = message.attempts >= MAX_ATTEMPTS;
			const reason = scrub(error instanceof Error ? error.message : String(error)).slice(0, 300);
			await db
				.updateTable('outbox')
				.set({
					status: last ? 'failed' : 'pending',
					...(last ? withoutSecret(message.kind) : {}),
					last_error: reason,
					next_attempt_at: new Date(now().getTime() + (last ? 0 : retryDelay(message.attempts)))
				})
				.where('id', '=', message.id)
				.execute();
			log.warn('message_failed', { outboxId: message.id, attempts: message.attempts, final: last, ...errorFields(error) });
		}
	}
	return { sent, failed };
}

/** Failed messages for the admins' screen. */
export async function failedMessages(db: Kysely<Database>, limit = 100) {
	return db
		.selectFrom('outbox')
		.select(['id', 'channel', 'kind', 'attempts', 'last_error', 'created_at', 'next_attempt_at'])
		.where('status', '=', 'failed')
		.orderBy('created_at', 'desc')
		.limit(limit)
		.execute();
}

/** An admin puts a failed message back in the queue. */
export async function retryMessage(db: Kysely<Database>, outboxId: number): Promise<boolean> {
	const result = await db
		.updateTable('outbox')
		.set({ status: 'pending', attempts: 0, next_attempt_at: now() })
		.where('id', '=', outboxId)
		.where('status', '=', 'failed')
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}
