/**
 * One-time password links: "forgot my password" (sent to the account's own number or address, valid
 * one hour) and "set your password" (made by staff at the counter for walk-ins, valid seven days).
 * Only the SHA-256 of a link's secret is stored; a link works once; using it ends every session.
 */
import type { Kysely } from 'kysely';
import { audit } from '../audit';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { sendOnly } from '../notifications/notify';
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

/** A password-setting link made by staff for a walk-in; returned to be printed, never stored. */
export async function createSetPasswordLink(
	db: Kysely<Database>,
	accountId: number,
	staffAccountId: number,
	origin: string
): Promise<string> {
	return db.transaction().execute(async (trx) => {
		const secret = await createToken(trx, accountId, 'set_password', staffAccountId);
		await audit(trx, {
			actorAccountId: staffAccountId,
			action: 'account.password_link_created',
			subjectType: 'account',
			subjectId: accountId
		});
		return passwordLinkUrl(origin, secret);
	});
}

export type LinkInfo = { tokenId: number; accountId: number; purpose: LinkPurpose; login: string };

export async function findLink(db: Kysely<Database>, secret: string): Promise<LinkInfo | null> {
	if (!looksLikeSecret(secret)) return null;
	const row = await db
		.selectFrom('one_time_token')
		.innerJoin('account', 'account.id', 'one_time_token.account_id')
		.select(['one_time_token.id', 'one_time_token.account_id', 'one_time_token.purpose', 'account.login_phone', 'account.login_email'])
		.where('one_time_token.token_hash', '=', sha256(secret))
		.where('one_time_token.used_at', 'is', null)
		.where('one_time_token.expires_at', '>', now())
		.where('account.disabled_at', 'is', null)
		.executeTakeFirst();
	if (!row) return null;
	return {
		tokenId: row.id,
		accountId: row.account_id,
		purpose: row.purpose as LinkPurpose,
		login: row.login_phone ?? row.login_email ?? ''
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
		await trx
			.updateTable('one_time_token')
			.set({ used_at: now() })
			.where('account_id', '=', link.accountId)
			.where('used_at', 'is', null)
			.execute();
		await audit(trx, {
			actorAccountId: link.accountId,
			action: `account.${link.purpose}_used`,
			subjectType: 'account',
			subjectId: link.accountId
		});
		return { ok: true as const, accountId: link.accountId };
	});
}
