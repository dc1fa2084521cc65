/**
 * Sessions after Lucia's guide, with the injected clock: what the cookie must hold to count, idle
 * and absolute expiry, disabled accounts, logging out everywhere and password changes.
 */
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authenticate, changePassword } from '../../src/lib/server/auth/accounts';
import { createSession, extendSession, invalidateAccountSessions, validateSessionToken } from '../../src/lib/server/auth/session';
import { sessionLeft } from '../../src/lib/server/auth/session-left';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, FACTORY_PASSWORD } from '../helpers/factories';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = new Date('2026-03-02T01:00:00Z');

let t: TestDatabase;
let clock: ReturnType<typeof fixedClock>;

beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
beforeEach(() => {
	clock = fixedClock(START);
	setClock(clock);
});
afterEach(() => resetClock());

function sessionRow(id: string) {
	return t.db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
}

async function newSession() {
	const account = await createAccount(t.db);
	const { token, session } = await createSession(t.db, account.accountId);
	return { account, token, session };
}

describe('a session token', () => {
	it('signs its account in until the absolute expiry, 30 days after log-in', async () => {
		const { account, token, session } = await newSession();
		expect(await validateSessionToken(t.db, token)).toEqual({
			id: session.id,
			accountId: account.accountId,
			expiresAt: new Date(START.getTime() + 30 * DAY),
			endsAt: new Date(START.getTime() + 72 * HOUR)
		});
	});

	it('carries a secret of at least 128 random bits that the database never stores', async () => {
		const { token, session } = await newSession();
		const [id, secret] = token.split('.');
		expect(id).toBe(session.id);
		expect(secret).toMatch(/^[a-z2-7]{26,}$/); // base32: 5 bits a character, 26 × 5 ≥ 128
		const row = await sessionRow(session.id);
		const stored = JSON.stringify({ ...row, secret_hash: Buffer.from(row!.secret_hash).toString('hex') });
		expect(stored).not.toContain(secret);
		expect(Buffer.from(row!.secret_hash)).toHaveLength(32); // a SHA-256, not the secret
		const other = await newSession();
		expect(other.token.split('.')[1]).not.toBe(secret);
	});

	it('is refused when any value stored in the session table is sent as the token', async () => {
		const { token, session } = await newSession();
		const row = (await sessionRow(session.id))!;
		const hash = Buffer.from(row.secret_hash);
		const storedValues = [
			row.id,
			String(row.account_id),
			hash.toString('hex'),
			encodeHexLowerCase(hash).toUpperCase(),
			hash.toString('base64'),
			hash.toString('base64url'),
			encodeBase32LowerCaseNoPadding(hash),
			row.created_at.toISOString(),
			row.last_verified_at.toISOString(),
			row.expires_at.toISOString()
		];
		const candidates = [...storedValues, ...storedValues.map((v) => `${row.id}.${v}`), `${row.id}.`, `.${row.id}`, ''];
		for (const candidate of candidates) {
			expect(await validateSessionToken(t.db, candidate), candidate).toBeNull();
		}
		// Still there for its real token: the refusals above did not work by ending it.
		expect(await validateSessionToken(t.db, token)).not.toBeNull();
	});

	it('is refused when its secret is altered, shortened, extended or paired with another id', async () => {
		const { token, session } = await newSession();
		const other = await newSession();
		const [id, secret] = token.split('.') as [string, string];
		const flip = (c: string) => (c === 'a' ? 'b' : 'a');
		const tampered = [
			`${id}.${secret.slice(0, -1)}${flip(secret.at(-1)!)}`,
			`${id}.${flip(secret[0]!)}${secret.slice(1)}`,
			`${id}.${secret.slice(0, -1)}`,
			`${id}.${secret}a`,
			`${id}.${secret.toUpperCase()}`,
			`${id}.${secret}.${secret}`,
			`${id.slice(0, -1)}${flip(id.at(-1)!)}.${secret}`,
			`${other.session.id}.${secret}`,
			`${id}.${other.token.split('.')[1]}`,
			` ${token}`
		];
		for (const candidate of tampered) expect(await validateSessionToken(t.db, candidate), candidate).toBeNull();
		expect(await validateSessionToken(t.db, token)).toMatchObject({ id: session.id });
	});
	it('is refused, not an error, when the cookie holds characters no token has (a NUL byte, a lone surrogate)', async () => {
		// Browsers send cookies percent-encoded and the framework decodes them, so "%00" arrives as NUL.
		for (const candidate of ['\u0000abc.def', 'abc\u0000.def', 'abc.d\u0000ef', '\ud800x.def', '王.秀英']) {
			await expect(validateSessionToken(t.db, candidate), JSON.stringify(candidate)).resolves.toBeNull();
		}
	});
});

describe('session expiry', () => {
	it('ends a session left unused for 72 hours', async () => {
		const { token, session } = await newSession();
		clock.advance(72 * HOUR);
		expect(await validateSessionToken(t.db, token)).toBeNull();
		expect(await sessionRow(session.id)).toBeUndefined();
		clock.set(START); // Gone for good, even if the clock went back.
		expect(await validateSessionToken(t.db, token)).toBeNull();
	});

	it('keeps a session that is used again just before 72 hours have passed', async () => {
		const { token } = await newSession();
		clock.advance(72 * HOUR - 1000);
		expect(await validateSessionToken(t.db, token)).not.toBeNull();
	});

	it('pushes the idle clock back when used, writing to the database at most once an hour', async () => {
		const { token, session } = await newSession();
		clock.advance(59 * MINUTE);
		expect(await validateSessionToken(t.db, token)).not.toBeNull();
		expect((await sessionRow(session.id))!.last_verified_at).toEqual(START);
		clock.advance(1 * MINUTE);
		expect(await validateSessionToken(t.db, token)).not.toBeNull();
		const pushedAt = new Date(START.getTime() + 1 * HOUR);
		expect((await sessionRow(session.id))!.last_verified_at).toEqual(pushedAt);
		clock.advance(30 * MINUTE);
		expect(await validateSessionToken(t.db, token)).not.toBeNull();
		expect((await sessionRow(session.id))!.last_verified_at).toEqual(pushedAt);
		// Idle from the push, not from log-in: 72 h after log-in it still works…
		clock.set(new Date(pushedAt.getTime() + 72 * HOUR - 1000));
		expect(await validateSessionToken(t.db, token)).not.toBeNull();
		// …and a session used every two days stays alive until the absolute expiry.
		for (let day = 4; day < 30; day += 2) {
			clock.set(new Date(START.getTime() + day * DAY + 12 * HOUR));
			expect(await validateSessionToken(t.db, token), `day ${day}`).not.toBeNull();
		}
	});

	it('ends a session 30 days after log-in however busy it is', async () => {
		const { token, session } = await newSession();
		for (let hours = 70; hours < 30 * 24; hours += 70) {
			clock.set(new Date(START.getTime() + hours * HOUR));
			expect(await validateSessionToken(t.db, token), `after ${hours} h`).not.toBeNull();
		}
		clock.set(new Date(START.getTime() + 30 * DAY - 1000));
		expect(await validateSessionToken(t.db, token)).not.toBeNull();
		clock.set(new Date(START.getTime() + 30 * DAY));
		expect(await validateSessionToken(t.db, token)).toBeNull();
		expect(await sessionRow(session.id)).toBeUndefined();
	});
});

describe('ending sessions', () => {
	it('refuses the session of a disabled account, and does not bring it back when re-enabled', async () => {
		const { account, token } = await newSession();
		await t.db.updateTable('account').set({ disabled_at: clock.now() }).where('id', '=', account.accountId).execute();
		expect(await validateSessionToken(t.db, token)).toBeNull();
		await t.db.updateTable('account').set({ disabled_at: null }).where('id', '=', account.accountId).execute();
		expect(await validateSessionToken(t.db, token)).toBeNull();
	});

	it('logs an account out everywhere without touching other accounts', async () => {
		const wang = await createAccount(t.db);
		const li = await createAccount(t.db);
		const phone = await createSession(t.db, wang.accountId);
		const computer = await createSession(t.db, wang.accountId);
		const lisPhone = await createSession(t.db, li.accountId);
		await invalidateAccountSessions(t.db, wang.accountId);
		expect(await validateSessionToken(t.db, phone.token)).toBeNull();
		expect(await validateSessionToken(t.db, computer.token)).toBeNull();
		expect(await validateSessionToken(t.db, lisPhone.token)).not.toBeNull();
	});

	it('can keep the current session while ending the others', async () => {
		const wang = await createAccount(t.db);
		const here = await createSession(t.db, wang.accountId);
		const there = await createSession(t.db, wang.accountId);
		await invalidateAccountSessions(t.db, wang.accountId, here.session.id);
		expect(await validateSessionToken(t.db, here.token)).not.toBeNull();
		expect(await validateSessionToken(t.db, there.token)).toBeNull();
	});
});

describe('changing the password', () => {
	const NEW_PASSWORD = 'plum blossoms by the east gate';
	let address = 0;
	const login = (l: string, p: string) => authenticate(t.db, l, p, `203.0.113.${++address}`);

	it('ends every other session of the account, keeps this one, and swaps the passwords', async () => {
		const wang = await createAccount(t.db);
		const li = await createAccount(t.db);
		const here = await createSession(t.db, wang.accountId);
		const phone = await createSession(t.db, wang.accountId);
		const tablet = await createSession(t.db, wang.accountId);
		const lisSession = await createSession(t.db, li.accountId);

		expect(await changePassword(t.db, wang.accountId, here.session.id, FACTORY_PASSWORD, NEW_PASSWORD)).toEqual({ ok: true });

		expect(await validateSessionToken(t.db, here.token)).toMatchObject({ id: here.session.id });
		expect(await validateSessionToken(t.db, phone.token)).toBeNull();
		expect(await validateSessionToken(t.db, tablet.token)).toBeNull();
		expect(await validateSessionToken(t.db, lisSession.token)).not.toBeNull();
		expect(await login(wang.login, FACTORY_PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
		expect(await login(wang.login, NEW_PASSWORD)).toEqual({ ok: true, accountId: wang.accountId });
		const audit = await t.db
			.selectFrom('audit_log')
			.select(['actor_account_id', 'subject_id'])
			.where('action', '=', 'account.password_change')
			.where('subject_id', '=', String(wang.accountId))
			.execute();
		expect(audit).toEqual([{ actor_account_id: wang.accountId, subject_id: String(wang.accountId) }]);
	});

	it('refuses a wrong current password and changes nothing', async () => {
		const wang = await createAccount(t.db);
		const here = await createSession(t.db, wang.accountId);
		const phone = await createSession(t.db, wang.accountId);
		const before = await t.db.selectFrom('account').select('password_hash').where('id', '=', wang.accountId).executeTakeFirstOrThrow();

		expect(await changePassword(t.db, wang.accountId, here.session.id, 'not my password', NEW_PASSWORD)).toEqual({
			ok: false,
			reason: 'wrong-password'
		});

		expect(await validateSessionToken(t.db, here.token)).not.toBeNull();
		expect(await validateSessionToken(t.db, phone.token)).not.toBeNull();
		const after = await t.db.selectFrom('account').select('password_hash').where('id', '=', wang.accountId).executeTakeFirstOrThrow();
		expect(after).toEqual(before);
		expect(await login(wang.login, NEW_PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
		expect(await login(wang.login, FACTORY_PASSWORD)).toEqual({ ok: true, accountId: wang.accountId });
	});
});

describe('"stay logged in" (the warning before a session ends)', () => {
	it('pushes the idle end back at once, not only once an hour, and tells the page how long is left', async () => {
		// The page was loaded at log-in and left open: no request since (any request an hour or more
		// after the last one would push the end back by itself).
		const { token, session } = await newSession();
		clock.advance(71 * HOUR + 56 * MINUTE);
		expect(sessionLeft(session)).toEqual({ msLeft: 4 * MINUTE, extendable: true });
		const extended = await extendSession(t.db, session);
		expect(sessionLeft(extended)).toEqual({ msLeft: 72 * HOUR, extendable: true });
		clock.advance(10 * MINUTE);
		expect((await validateSessionToken(t.db, token))?.endsAt).toEqual(extended.endsAt);
	});

	it('never goes past the absolute expiry 30 days after log-in', async () => {
		const { token } = await newSession();
		for (let day = 1; day < 30; day++) {
			clock.advance(DAY);
			expect(await validateSessionToken(t.db, token)).not.toBeNull();
		}
		clock.advance(22 * HOUR);
		const session = (await validateSessionToken(t.db, token))!;
		const extended = await extendSession(t.db, session);
		expect(sessionLeft(extended)).toEqual({ msLeft: 2 * HOUR, extendable: false });
		clock.advance(2 * HOUR);
		expect(await validateSessionToken(t.db, token)).toBeNull();
	});
});
