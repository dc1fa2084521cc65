/**
 * One-time password links: "forgot my password" (sent to the account's own number or address, valid
 * one hour) and "set your password" (made at the counter for walk-ins, valid seven days).
 * Only the SHA-256 of a link's secret is stored; a link works once; using it ends every session, and
 * every open link of the account ends when its password is set or changed in any way. The outbox
 * drops a reset message's link once it is sent (notifications/outbox.ts).
 */
import type { Kysely } from 'kysely';
import { audit } from '../audit';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { notify, sendOnly } from '../notifications/notify';
import { looksLikeSecret, randomSecret, sha256 } from '../tokens';
import { parseLogin } from './identifiers';
import { hashPassword } from './password';
import { invalidateAccountSessions } from './session';

export const RESET_VALID_MS = 60 * 60_000;
export const SET_PASSWORD_VALID_MS = 7 * 24 * 60 * 60_000;

export type LinkPurpose = 'password_reset' | 'set_password';

export function passwordLinkUrl(origin: string, secret: string): string {
	return `${origin}/reset/${secret}`;
}

async function createToken(db: Kysely<Database>, accountId: number, purpose: LinkPurpose, createdBy: number | null): Promise<string> {
	const secret = randomSecret();
	const at = now();
	const validFor = purpose === 'password_reset' ? RESET_VALID_MS : SET_PASSWORD_VALID_MS;
	await db
		.insertInto('one_time_token')
		.values({
			account_id: accountId,
			purpose,
			token_hash: sha256(secret),
			created_at: at,
			expires_at: new Date(at.getTime() + validFor),
			created_by: createdBy
		})
		.execute();
	return secret;
}

/**
 * "Forgot my password": if the log-in names a usable account, a link goes to that very number or
 * address. The caller answers the same either way.
 */
export async function requestPasswordReset(db: Kysely<Database>, rawLogin: string, origin: string): Promise<void> {
	const login = parseLogin(rawLogin);
	if (login.kind === 'invalid') return;
	let query = db.selectFrom('account').select(['id', 'person_id', 'login_phone', 'login_email']).where('disabled_at', 'is', null);
	query = login.kind === 'phone' ? query.where('login_phone', '=', login.phone) : query.where('login_email', '=', login.email);
	const account = await query.executeTakeFirst();
	if (!account) return;
	await db.transaction().execute(async (trx) => {
		const secret = await createToken(trx, account.id, 'password_reset', null);
		const to =
			login.kind === 'phone' ? { channel: 'sms' as const, address: login.phone } : { channel: 'email' as const, address: login.email };
		await sendOnly(trx, { personId: account.person_id, kind: 'password_reset', link: passwordLinkUrl(origin, secret), to });
		await audit(trx, { actorAccountId: null, action: 'account.password_reset_requested', subjectType: 'account', subjectId: account.id });
	});
}

/** Who makes the link: an account (staff at the counter, an administrator), or `null` for `npm run first-admin`. */
export type SetPasswordIssuer = { accountId: number | null; admin: boolean };
export type SetPasswordRefusal = 'not-found' | 'disabled' | 'has-password' | 'has-roles' | 'reason-required';
export const REASON_MAX = 300;

/**
 * A password-setting link, printed on a slip for the person at the counter; returned, never stored.
 * Staff may make one only for an account that has no password yet and holds no role but resident
 * (a walk-in whose account staff opened): anything else would let the counter take over a doctor's
 * or an administrator's account. An administrator may make one for any account, but for an account
 * that has a password only with a written reason. Audited with the issuer as actor; the holder is
 * told (inbox and SMS or e-mail) at once.
 */
export async function createSetPasswordLink(
	db: Kysely<Database>,
	input: { accountId: number; issuer: SetPasswordIssuer; origin: string; reason?: string | null }
): Promise<{ ok: true; link: string } | { ok: false; reason: SetPasswordRefusal }> {
	const reason = input.reason?.trim() || null;
	return db.transaction().execute(async (trx) => {
		// Locked: a password set or a role granted meanwhile must not slip past the checks below.
		const account = await trx
			.selectFrom('account')
			.select(['id', 'person_id', 'password_hash', 'disabled_at'])
			.where('id', '=', input.accountId)
			.forUpdate()
			.executeTakeFirst();
		if (!account) return { ok: false as const, reason: 'not-found' as const };
		if (account.disabled_at) return { ok: false as const, reason: 'disabled' as const };
		const hasPassword = account.password_hash !== null;
		if (!input.issuer.admin) {
			if (hasPassword) return { ok: false as const, reason: 'has-password' as const };
			const other = await trx
				.selectFrom('account_role')
				.select('id')
				.where('account_id', '=', account.id)
				.where('role', '!=', 'resident')
				.executeTakeFirst();
			if (other) return { ok: false as const, reason: 'has-roles' as const };
		} else if (hasPassword && !reason) return { ok: false as const, reason: 'reason-required' as const };
		const secret = await createToken(trx, account.id, 'set_password', input.issuer.accountId);
		await audit(trx, {
			actorAccountId: input.issuer.accountId,
			action: 'account.password_link_created',
			subjectType: 'account',
			subjectId: account.id,
			details: { had_password: hasPassword, ...(reason ? { reason: reason.slice(0, REASON_MAX) } : {}) }
		});
		await notify(trx, { personId: account.person_id, kind: 'password_link_created', link: '/account' });
		return { ok: true as const, link: passwordLinkUrl(input.origin, secret) };
	});
}

/** Every link of an account that is still open ends: its password was just set or changed. */
export async function endPasswordLinks(db: Kysely<Database>, accountId: number): Promise<void> {
	await db.updateTable('one_time_token').set({ used_at: now() }).where('account_id', '=', accountId).where('used_at', 'is', null).execute();
}

export type LinkInfo = {
	tokenId: number;
	accountId: number;
	personId: number;
	purpose: LinkPurpose;
	login: string;
	createdBy: number | null;
};

export async function findLink(db: Kysely<Database>, secret: string): Promise<LinkInfo | null> {
	if (!looksLikeSecret(secret)) return null;
	const row = await db
		.selectFrom('one_time_token')
		.innerJoin('account', 'account.id', 'one_time_token.account_id')
		.select([
			'one_time_token.id',
			'one_time_token.account_id',
			'one_time_token.purpose',
			'one_time_token.created_by',
			'account.person_id',
			'account.login_phone',
			'account.login_email'
		])
		.where('one_time_token.token_hash', '=', sha256(secret))
		.where('one_time_token.used_at', 'is', null)
		.where('one_time_token.expires_at', '>', now())
		.where('account.disabled_at', 'is', null)
		.executeTakeFirst();
	if (!row) return null;
	return {
		tokenId: row.id,
		accountId: row.account_id,
		personId: row.person_id,
		purpose: row.purpose as LinkPurpose,
		login: row.login_phone ?? row.login_email ?? '',
		createdBy: row.created_by
	};
}

/** Sets the password through a link: once only, ending every session of the account. */
export async function usePasswordLink(
	db: Kysely<Database>,
	secret: string,
	newPassword: string
): Promise<{ ok: true; accountId: number } | { ok: false }> {
	const passwordHash = await hashPassword(newPassword);
	return db.transaction().execute(async (trx) => {
		const link = await findLink(trx, secret);
		if (!link) return { ok: false as const };
		// Two tabs submitting the same link: only the first update finds the token unused.
		const claimed = await trx
			.updateTable('one_time_token')
			.set({ used_at: now() })
			.where('id', '=', link.tokenId)
			.where('used_at', 'is', null)
			.executeTakeFirst();
		if (Number(claimed.numUpdatedRows) !== 1) return { ok: false as const };
		await trx.updateTable('account').set({ password_hash: passwordHash }).where('id', '=', link.accountId).execute();
		await invalidateAccountSessions(trx, link.accountId);
		// Any other open link of the account is spent too: the newest password wins.
		await endPasswordLinks(trx, link.accountId);
		await audit(trx, {
			actorAccountId: link.accountId,
			action: `account.${link.purpose}_used`,
			subjectType: 'account',
			subjectId: link.accountId,
			details: link.createdBy === null ? {} : { link_made_by: link.createdBy }
		});
		await notify(trx, { personId: link.personId, kind: 'password_set_by_link', link: '/account' });
		return { ok: true as const, accountId: link.accountId };
	});
}
