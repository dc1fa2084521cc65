/**
 * Registration, log-in and password changes. Each function takes `db` first so the caller can own
 * the transaction, and answers with a result the page maps to messages; nothing here knows HTTP.
 */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { insertPerson } from '../people/people';
import { loginKey, parseLogin } from './identifiers';
import { endPasswordLinks } from './links';
import { hashPassword, verifyPassword } from './password';
import { invalidateAccountSessions } from './session';
import { trustedDevice } from './devices';
import { ACCOUNT_THRESHOLD, ADDRESS_THRESHOLD, clearFailures, DEVICE_THRESHOLD, recordFailure, waitFor } from './throttle';

export type Registration = {
	phone: string | null;
	email: string | null;
	familyName: string;
	givenName: string;
	displayName: string | null;
	birthYear: number | null;
	communityId: number;
	password: string;
	locale: Locale;
};

export type RegisterResult =
	{ ok: true; accountId: number; personId: number } | { ok: false; reason: 'phone-taken' | 'email-taken' | 'unknown-community' };

export async function register(db: Kysely<Database>, input: Registration): Promise<RegisterResult> {
	const passwordHash = await hashPassword(input.password); // Before the transaction: it takes a while.
	try {
		return await insertRegistration(db, input, passwordHash);
	} catch (error) {
		// Two registrations of one number at the same moment: the unique constraint decides.
		if (isUniqueViolation(error, 'account_login_phone_key')) return { ok: false, reason: 'phone-taken' };
		if (isUniqueViolation(error, 'account_login_email_key')) return { ok: false, reason: 'email-taken' };
		throw error;
	}
}

function insertRegistration(db: Kysely<Database>, input: Registration, passwordHash: string): Promise<RegisterResult> {
	return db.transaction().execute(async (trx) => {
		const community = await trx.selectFrom('community').select('id').where('id', '=', input.communityId).executeTakeFirst();
		if (!community) return { ok: false, reason: 'unknown-community' } as const;
		if (input.phone && (await trx.selectFrom('account').select('id').where('login_phone', '=', input.phone).executeTakeFirst())) {
			return { ok: false, reason: 'phone-taken' } as const;
		}
		if (input.email && (await trx.selectFrom('account').select('id').where('login_email', '=', input.email).executeTakeFirst())) {
			return { ok: false, reason: 'email-taken' } as const;
		}
		const at = now();
		const person = { id: await insertPerson(trx, input) };
		const account = await trx
			.insertInto('account')
			.values({
				person_id: person.id,
				login_phone: input.phone,
				login_email: input.email,
				password_hash: passwordHash,
				locale: input.locale,
				privacy_accepted_at: at,
				created_at: at
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.insertInto('account_role').values({ account_id: account.id, role: 'resident', granted_at: at }).execute();
		await audit(trx, {
			actorAccountId: account.id,
			action: 'account.register',
			subjectType: 'account',
			subjectId: account.id,
			communityId: input.communityId
		});
		return { ok: true, accountId: account.id, personId: person.id } as const;
	});
}

export type AuthenticateResult =
	| { ok: true; accountId: number; /** The device cookie that vouched for this browser, to be replaced. */ device?: string }
	| { ok: false; reason: 'invalid' | 'disabled' }
	| { ok: false; reason: 'throttled'; waitMs: number };

/**
 * Checks a log-in. Unknown accounts and wrong passwords take the same path, the same time (a dummy
 * hash is verified) and the same answer, and count against the same throttles. A browser holding a
 * device cookie of the account (`deviceTokens`, see devices.ts) counts against that cookie alone:
 * failures made elsewhere, for the account or from the address, do not hold it up, and its own
 * failures meet the same growing delays.
 */
export async function authenticate(
	db: Kysely<Database>,
	rawLogin: string,
	password: string,
	clientAddress: string,
	deviceTokens: string[] = []
): Promise<AuthenticateResult> {
	const login = parseLogin(rawLogin);
	const device = await trustedDevice(db, deviceTokens, login);
	const throttles = device
		? [{ key: `login:device:${device.id}`, threshold: DEVICE_THRESHOLD }]
		: [
				{ key: `login:account:${loginKey(login)}`, threshold: ACCOUNT_THRESHOLD },
				{ key: `login:address:${clientAddress}`, threshold: ADDRESS_THRESHOLD }
			];
	const waitMs = await waitFor(
		db,
		throttles.map((t) => t.key)
	);
	if (waitMs > 0) return { ok: false, reason: 'throttled', waitMs };

	let query = db.selectFrom('account').select(['id', 'password_hash', 'disabled_at']);
	if (login.kind === 'phone') query = query.where('login_phone', '=', login.phone);
	else if (login.kind === 'email') query = query.where('login_email', '=', login.email);
	else query = query.where(({ lit }) => lit(false));
	const account = await query.executeTakeFirst();

	const valid = await verifyPassword(account?.password_hash ?? null, password);
	if (!account || !valid) {
		for (const t of throttles) await recordFailure(db, t.key, t.threshold);
		return { ok: false, reason: 'invalid' };
	}
	// The account's own count stays when a trusted browser logs in: it holds up only the others.
	await clearFailures(db, throttles[0]!.key);
	if (account.disabled_at) return { ok: false, reason: 'disabled' };
	await db.updateTable('account').set({ last_login_at: now() }).where('id', '=', account.id).execute();
	return device ? { ok: true, accountId: account.id, device: device.id } : { ok: true, accountId: account.id };
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: 'wrong-password' };

/** Re-checks the current password, sets the new one and ends every other session. */
export async function changePassword(
	db: Kysely<Database>,
	accountId: number,
	currentSessionId: string,
	currentPassword: string,
	newPassword: string
): Promise<ChangePasswordResult> {
	const account = await db.selectFrom('account').select('password_hash').where('id', '=', accountId).executeTakeFirstOrThrow();
	if (!(await verifyPassword(account.password_hash, currentPassword))) return { ok: false, reason: 'wrong-password' };
	const passwordHash = await hashPassword(newPassword);
	await db.transaction().execute(async (trx) => {
		await trx.updateTable('account').set({ password_hash: passwordHash }).where('id', '=', accountId).execute();
		// A reset or set-password link made before the change must not undo it.
		await endPasswordLinks(trx, accountId);
		await invalidateAccountSessions(trx, accountId, currentSessionId);
		await audit(trx, { actorAccountId: accountId, action: 'account.password_change', subjectType: 'account', subjectId: accountId });
	});
	return { ok: true };
}

export async function setPreferences(
	db: Kysely<Database>,
	accountId: number,
	prefs: { locale?: Locale; largeText?: boolean }
): Promise<void> {
	await db
		.updateTable('account')
		.set({ ...(prefs.locale ? { locale: prefs.locale } : {}), ...(prefs.largeText === undefined ? {} : { large_text: prefs.largeText }) })
		.where('id', '=', accountId)
		.execute();
}

export async function loginIdentifiers(db: Kysely<Database>, accountId: number): Promise<{ phone: string | null; email: string | null }> {
	const row = await db.selectFrom('account').select(['login_phone', 'login_email']).where('id', '=', accountId).executeTakeFirstOrThrow();
	return { phone: row.login_phone, email: row.login_email };
}
