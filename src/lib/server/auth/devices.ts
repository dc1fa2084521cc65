/**
 * Device cookies, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser
 * that logged in to an account receives a long-lived cookie `<id>.<secret>` (the session's scheme;
 * only SHA-256 of the secret is stored). A log-in to that account from that browser is throttled by
 * the cookie's own failures only, so someone failing on purpose elsewhere cannot keep the owner out;
 * everyone else still meets the account's and the address's growing delays. Each successful log-in
 * replaces the cookie, so a copied one stops working at the owner's next log-in. One browser may
 * hold cookies for a few accounts (a family's shared tablet).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import { now } from '../clock';
import { config } from '../config';
import type { Database } from '../db/schema';
import { randomSecret, sha256 } from '../tokens';
import type { Login } from './identifiers';

export const DEVICE_DAYS = 365;
/** Accounts remembered per browser; the one logged in to last comes first. */
const PER_BROWSER = 5;
const TOKEN_RE = /^([a-z2-7]{24})\.([a-z2-7]{32})$/;

/** The cookie's id: 120 random bits (24 base32 characters); its secret is a link's (tokens.ts). */
const randomId = () => encodeBase32LowerCaseNoPadding(randomBytes(15));

export function deviceCookieName(): string {
	return config().cookieSecure ? '__Host-hd_device' : 'hd_device';
}

/** The well-formed tokens of the browser's device cookie (anything else is ignored). */
export function deviceTokens(cookies: Cookies): string[] {
	const value = cookies.get(deviceCookieName()) ?? '';
	return value
		.split('~')
		.filter((t) => TOKEN_RE.test(t))
		.slice(0, PER_BROWSER);
}

/** This browser's live device cookie for the account `login` names, or null. */
export async function trustedDevice(
	db: Kysely<Database>,
	tokens: string[],
	login: Login
): Promise<{ id: string; accountId: number } | null> {
	const parsed = tokens.map((t) => TOKEN_RE.exec(t)).filter((m): m is RegExpExecArray => m !== null);
	if (parsed.length === 0 || login.kind === 'invalid') return null;
	let query = db
		.selectFrom('device_cookie')
		.innerJoin('account', 'account.id', 'device_cookie.account_id')
		.select(['device_cookie.id', 'device_cookie.account_id', 'device_cookie.secret_hash'])
		.where(
			'device_cookie.id',
			'in',
			parsed.map((m) => m[1]!)
		)
		.where('device_cookie.expires_at', '>', now());
	query =
		login.kind === 'phone' ? query.where('account.login_phone', '=', login.phone) : query.where('account.login_email', '=', login.email);
	for (const row of await query.execute()) {
		const secret = parsed.find((m) => m[1] === row.id)![2]!;
		const expected = Buffer.from(row.secret_hash);
		const given = sha256(secret);
		if (expected.length === given.length && timingSafeEqual(expected, given)) return { id: row.id, accountId: row.account_id };
	}
	return null;
}

/** A new device cookie for the account (replacing `previous`, the one just used, if any). */
export async function issueDevice(db: Kysely<Database>, accountId: number, previous: string | null): Promise<string> {
	const id = randomId();
	const secret = randomSecret();
	const at = now();
	await db.transaction().execute(async (trx) => {
		if (previous) await trx.deleteFrom('device_cookie').where('id', '=', previous).execute();
		await trx
			.insertInto('device_cookie')
			.values({
				id,
				account_id: accountId,
				secret_hash: sha256(secret),
				created_at: at,
				expires_at: new Date(at.getTime() + DEVICE_DAYS * 24 * 60 * 60_000)
			})
			.execute();
	});
	return `${id}.${secret}`;
}

/** Puts `token` first in the browser's device cookie, keeping the others except the one it replaces. */
export function setDeviceCookie(cookies: Cookies, token: string, replaced: string | null): void {
	const others = deviceTokens(cookies).filter((t) => t.split('.')[0] !== replaced);
	const value = [token, ...others].slice(0, PER_BROWSER).join('~');
	cookies.set(deviceCookieName(), value, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: config().cookieSecure,
		maxAge: DEVICE_DAYS * 24 * 60 * 60
	});
}
