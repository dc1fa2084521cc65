/**
 * Sessions after Lucia's current guide: the cookie holds `<id>.<secret>`; the table keeps the id
 * and SHA-256(secret) only, compared in constant time. A session ends after an idle period and in
 * any case at its absolute expiry; activity pushes the idle clock back at most once an hour.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { now } from '../clock';
import { config } from '../config';
import type { Database } from '../db/schema';
import { authUserOf, type AuthUser } from './user';

const ACTIVITY_INTERVAL_MS = 60 * 60 * 1000;

/**
 * `endsAt`: when the session ends if nothing else happens (the idle end, or the absolute expiry when
 * that comes first); the page warns a little before it (SessionWarning.svelte).
 */
export type Session = { id: string; accountId: number; expiresAt: Date; endsAt: Date };

function endOf(lastVerifiedAt: Date, expiresAt: Date): Date {
	return new Date(Math.min(expiresAt.getTime(), lastVerifiedAt.getTime() + config().sessionIdleMs));
}

function randomToken(bytes: number): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(bytes));
}

function hashSecret(secret: string): Buffer {
	return createHash('sha256').update(secret).digest();
}

export function cookieName(): string {
	return config().cookieSecure ? '__Host-hd_session' : 'hd_session';
}

/** A new session; returns the token for the cookie. The secret has 160 random bits. */
export async function createSession(db: Kysely<Database>, accountId: number): Promise<{ token: string; session: Session }> {
	const id = randomToken(15);
	const secret = randomToken(20);
	const at = now();
	const expiresAt = new Date(at.getTime() + config().sessionMaxMs);
	await db
		.insertInto('session')
		.values({ id, account_id: accountId, secret_hash: hashSecret(secret), created_at: at, last_verified_at: at, expires_at: expiresAt })
		.execute();
	return { token: `${id}.${secret}`, session: { id, accountId, expiresAt, endsAt: endOf(at, expiresAt) } };
}

const TOKEN_RE = /^([a-z2-7]{24})\.([a-z2-7]{32})$/;

function sessionQuery(db: Kysely<Database>, id: string) {
	return db
		.selectFrom('session')
		.innerJoin('account', 'account.id', 'session.account_id')
		.select([
			'session.id',
			'session.account_id',
			'session.secret_hash',
			'session.last_verified_at',
			'session.expires_at',
			'account.disabled_at'
		])
		.where('session.id', '=', id);
}

type SessionRow = {
	id: string;
	account_id: number;
	secret_hash: Buffer | Uint8Array;
	last_verified_at: Date;
	expires_at: Date;
	disabled_at: Date | null;
};

/** The checks on a session row found by id: the secret, expiry, idle time; ends a dead one. */
async function settle(db: Kysely<Database>, row: SessionRow, secret: string): Promise<Session | null> {
	const expected = Buffer.from(row.secret_hash);
	const given = hashSecret(secret);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
	const at = now();
	const idleEnd = row.last_verified_at.getTime() + config().sessionIdleMs;
	if (row.disabled_at || at.getTime() >= row.expires_at.getTime() || at.getTime() >= idleEnd) {
		await invalidateSession(db, row.id);
		return null;
	}
	let verifiedAt = row.last_verified_at;
	if (at.getTime() - row.last_verified_at.getTime() >= ACTIVITY_INTERVAL_MS) {
		await db.updateTable('session').set({ last_verified_at: at }).where('id', '=', row.id).execute();
		verifiedAt = at;
	}
	return { id: row.id, accountId: row.account_id, expiresAt: row.expires_at, endsAt: endOf(verifiedAt, row.expires_at) };
}

/**
 * "Stay logged in": pushes the idle end back now (not only once an hour). The absolute expiry
 * stays: a session never outlives it.
 */
export async function extendSession(db: Kysely<Database>, session: Session): Promise<Session> {
	const at = now();
	await db.updateTable('session').set({ last_verified_at: at }).where('id', '=', session.id).execute();
	return { ...session, endsAt: endOf(at, session.expiresAt) };
}

/** The live session a cookie value stands for, or null; ends an expired one on the way. */
export async function validateSessionToken(db: Kysely<Database>, token: string): Promise<Session | null> {
	// Only what createSession makes reaches the database: anything else is simply no session.
	const match = TOKEN_RE.exec(token);
	if (!match) return null;
	const [, id, secret] = match as unknown as [string, string, string];
	const row = await sessionQuery(db, id).executeTakeFirst();
	return row ? settle(db, row, secret) : null;
}

/**
 * The session, its user and the number of unread notices in one round trip (every page of a
 * signed-in person shows all three): the same checks as validateSessionToken, the user as
 * loadUser reads it.
 */
export async function validateSessionAndUser(
	db: Kysely<Database>,
	token: string
): Promise<{ session: Session; user: AuthUser; unread: number } | null> {
	const match = TOKEN_RE.exec(token);
	if (!match) return null;
	const [, id, secret] = match as unknown as [string, string, string];
	const row = await sessionQuery(db, id)
		.innerJoin('person', 'person.id', 'account.person_id')
		.select(['account.person_id', 'account.locale', 'account.large_text', 'person.family_name', 'person.given_name', 'person.display_name'])
		.select((eb) =>
			jsonArrayFrom(
				eb.selectFrom('account_role').select(['role', 'community_id']).whereRef('account_role.account_id', '=', 'session.account_id')
			).as('roles')
		)
		// The header's unread count rides along (the root layout shows it on every page).
		.select((eb) =>
			eb
				.selectFrom('notification')
				.select((n) => n.fn.countAll<number>().as('n'))
				.whereRef('notification.person_id', '=', 'account.person_id')
				.where('notification.read_at', 'is', null)
				.as('unread')
		)
		.executeTakeFirst();
	if (!row) return null;
	const session = await settle(db, row, secret);
	return session ? { session, user: authUserOf({ ...row, id: row.account_id }, row.roles), unread: Number(row.unread ?? 0) } : null;
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
	await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

/** Ends every session of an account, or every one but `keep` (after a password change). */
export async function invalidateAccountSessions(db: Kysely<Database>, accountId: number, keep?: string): Promise<void> {
	let query = db.deleteFrom('session').where('account_id', '=', accountId);
	if (keep) query = query.where('id', '!=', keep);
	await query.execute();
}

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date): void {
	cookies.set(cookieName(), token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config().cookieSecure, expires: expiresAt });
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(cookieName(), { path: '/', httpOnly: true, sameSite: 'lax', secure: config().cookieSecure });
}
