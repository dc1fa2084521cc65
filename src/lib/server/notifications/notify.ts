/**
 * Telling a person something: an inbox entry (if they can log in to read it) and a message in the
 * outbox for SMS or e-mail. Both are written in the caller's transaction, so a notice exists exactly
 * when the change it reports was committed; the worker delivers the outbox later.
 */
import type { Kysely } from 'kysely';
import { isLocale, type Locale } from '$lib/i18n';
import { now } from '../clock';
import type { Database, JsonValue } from '../db/schema';

export type NotificationKind =
	| 'password_reset'
	| 'set_password'
	| 'test'
	| 'booking_reserved'
	| 'booking_waitlisted'
	| 'booking_offered'
	| 'booking_offer_expired'
	| 'booking_cancelled'
	| 'booking_reminder'
	| 'booking_session_cancelled'
	| 'booking_moved'
	| 'fitness_closure'
	| 'doctor_cancelled'
	| 'doctor_moved'
	| 'certificate_issued'
	| 'certificate_expiring'
	| 'certificate_revoked'
	| 'coverage_refresher'
	| 'household_request'
	| 'password_link_created'
	| 'password_set_by_link';

type Params = Record<string, string | number>;

type Contact = { channel: 'sms' | 'email'; address: string; locale: Locale } | null;

/** Where a person can be reached: their log-in number or e-mail first, then what the person record has. */
async function contactOf(db: Kysely<Database>, personId: number): Promise<Contact> {
	const row = await db
		.selectFrom('person')
		.leftJoin('account', 'account.person_id', 'person.id')
		.select(['person.phone', 'person.email', 'account.login_phone', 'account.login_email', 'account.locale'])
		.where('person.id', '=', personId)
		.executeTakeFirst();
	if (!row) return null;
	const locale = isLocale(row.locale) ? row.locale : 'zh-CN';
	const phone = row.login_phone ?? row.phone;
	const email = row.login_email ?? row.email;
	if (phone) return { channel: 'sms', address: phone, locale };
	if (email) return { channel: 'email', address: email, locale };
	return null;
}

export type Notice = { personId: number; kind: NotificationKind; params?: Params; link?: string | null };

/** Kinds that concern the person's own account, not their bookings: carers get no copy. */
const PERSONAL_ONLY: NotificationKind[] = [
	'password_reset',
	'set_password',
	'household_request',
	'password_link_created',
	'password_set_by_link'
];

/**
 * An inbox entry plus an outgoing message; returns the notification id. The people who look after
 * the person (their household carers) get a copy marked `for_person` (the member's id, never their
 * name: names stay in the person record, where erasure finds them).
 */
export async function notify(db: Kysely<Database>, notice: Notice): Promise<number> {
	const id = await notifyOne(db, notice);
	if (PERSONAL_ONLY.includes(notice.kind) || notice.params?.for_person !== undefined) return id;
	const carers = await db
		.selectFrom('household_link')
		.select('carer_person_id')
		.where('member_person_id', '=', notice.personId)
		.where('status', '=', 'active')
		.where('valid_to', 'is', null)
		.execute();
	for (const c of carers)
		await notifyOne(db, { ...notice, personId: c.carer_person_id, params: { ...(notice.params ?? {}), for_person: notice.personId } });
	return id;
}

async function notifyOne(db: Kysely<Database>, notice: Notice): Promise<number> {
	const at = now();
	const row = await db
		.insertInto('notification')
		.values({
			person_id: notice.personId,
			kind: notice.kind,
			params: JSON.stringify(notice.params ?? {}),
			link: notice.link ?? null,
			created_at: at
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const contact = await contactOf(db, notice.personId);
	if (contact) await queueMessage(db, { ...notice, notificationId: row.id }, contact);
	return row.id;
}

/** A message that goes out but not into the inbox (password links: useless in an inbox one cannot open). */
export async function sendOnly(
	db: Kysely<Database>,
	notice: Notice & { to?: { channel: 'sms' | 'email'; address: string } }
): Promise<boolean> {
	const found = await contactOf(db, notice.personId);
	const contact = notice.to ? { ...notice.to, locale: found?.locale ?? ('zh-CN' as Locale) } : found;
	if (!contact) return false;
	await queueMessage(db, { ...notice, notificationId: null }, contact);
	return true;
}

async function queueMessage(
	db: Kysely<Database>,
	notice: Notice & { notificationId: number | null },
	contact: NonNullable<Contact>
): Promise<void> {
	const at = now();
	const payload: Record<string, JsonValue> = { params: notice.params ?? {}, link: notice.link ?? null };
	await db
		.insertInto('outbox')
		.values({
			notification_id: notice.notificationId,
			person_id: notice.personId,
			channel: contact.channel,
			address: contact.address,
			locale: contact.locale,
			kind: notice.kind,
			payload: JSON.stringify(payload),
			next_attempt_at: at,
			created_at: at
		})
		.execute();
}

export async function unreadCount(db: Kysely<Database>, personId: number): Promise<number> {
	const row = await db
		.selectFrom('notification')
		.select(({ fn }) => fn.countAll<number>().as('n'))
		.where('person_id', '=', personId)
		.where('read_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function listNotifications(db: Kysely<Database>, personId: number, limit = 50) {
	return db
		.selectFrom('notification')
		.select(['id', 'kind', 'params', 'link', 'created_at', 'read_at'])
		.where('person_id', '=', personId)
		.orderBy('created_at', 'desc')
		.orderBy('id', 'desc')
		.limit(limit)
		.execute();
}

/** Marks one (or, without an id, every) notification of the person read; others' ids change nothing. */
export async function markRead(db: Kysely<Database>, personId: number, notificationId?: number): Promise<number> {
	let query = db.updateTable('notification').set({ read_at: now() }).where('person_id', '=', personId).where('read_at', 'is', null);
	if (notificationId !== undefined) query = query.where('id', '=', notificationId);
	const result = await query.executeTakeFirst();
	return Number(result.numUpdatedRows);
}
