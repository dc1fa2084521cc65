/**
 * Targeted lock-out (issue 20, finding 12): anyone could keep an account refusing log-ins by failing
 * on purpose. A browser that logged in to the account before holds a device cookie and is throttled
 * by its own failures only: the owner logs in at once while strangers still wait, and guesses made
 * with a (stolen) device cookie meet the same growing delays.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authenticate, type AuthenticateResult } from '../../src/lib/server/auth/accounts';
import { issueDevice } from '../../src/lib/server/auth/devices';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, FACTORY_PASSWORD } from '../helpers/factories';

const WRONG = 'not-the-password-2026';
const INVALID: AuthenticateResult = { ok: false, reason: 'invalid' };
const waiting = (waitMs: number): AuthenticateResult => ({ ok: false, reason: 'throttled', waitMs });

let t: TestDatabase;
let clock: ReturnType<typeof fixedClock>;
let addressCounter = 0;
const newAddress = () => `192.0.2.${++addressCounter}`;

beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
beforeEach(() => {
	clock = fixedClock('2026-03-02T01:00:00Z');
	setClock(clock);
});
afterEach(() => resetClock());

/** An account and a browser that logged in to it once (as the log-in page does on success). */
async function ownerWithDevice() {
	const account = await createAccount(t.db);
	const first = await authenticate(t.db, account.login, FACTORY_PASSWORD, newAddress());
	expect(first).toEqual({ ok: true, accountId: account.accountId });
	const token = await issueDevice(t.db, account.accountId, null);
	return { ...account, token };
}

async function failFrom(login: string, address: string, times: number, tokens: string[] = []): Promise<AuthenticateResult[]> {
	const answers: AuthenticateResult[] = [];
	for (let i = 0; i < times; i++) answers.push(await authenticate(t.db, login, WRONG, address, tokens));
	return answers;
}

describe('a browser that logged in to the account before', () => {
	it('logs in at once while failures from another address keep the account waiting for everyone else', async () => {
		const owner = await ownerWithDevice();
		const attacker = newAddress();
		await failFrom(owner.login, attacker, 12);
		// A stranger, and the owner on a new browser, wait…
		expect(await authenticate(t.db, owner.login, FACTORY_PASSWORD, newAddress())).toMatchObject({ ok: false, reason: 'throttled' });
		// …the owner's own browser does not.
		const answer = await authenticate(t.db, owner.login, FACTORY_PASSWORD, newAddress(), [owner.token]);
		expect(answer).toMatchObject({ ok: true, accountId: owner.accountId });
		// And the lock-out for others is not lifted by the owner's log-in.
		expect(await authenticate(t.db, owner.login, FACTORY_PASSWORD, attacker)).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('is not held up by a shared address that 20 failures locked (a community centre)', async () => {
		const owner = await ownerWithDevice();
		const centre = newAddress();
		for (let i = 0; i < 20; i++) await failFrom((await createAccount(t.db)).login, centre, 1);
		expect(await authenticate(t.db, (await createAccount(t.db)).login, FACTORY_PASSWORD, centre)).toMatchObject({ reason: 'throttled' });
		expect(await authenticate(t.db, owner.login, FACTORY_PASSWORD, centre, [owner.token])).toMatchObject({ ok: true });
	});

	it('meets growing delays for guesses made with its cookie: five wrong answers, then 30 s, then 60 s', async () => {
		const owner = await ownerWithDevice();
		const thief = newAddress();
		expect(await failFrom(owner.login, thief, 5, [owner.token])).toEqual(Array.from({ length: 5 }, () => INVALID));
		expect(await authenticate(t.db, owner.login, WRONG, thief, [owner.token])).toEqual(waiting(30_000));
		// Even the right password waits out the cookie's delay.
		expect(await authenticate(t.db, owner.login, FACTORY_PASSWORD, thief, [owner.token])).toEqual(waiting(30_000));
		clock.advance(30_000);
		expect(await failFrom(owner.login, thief, 1, [owner.token])).toEqual([INVALID]);
		expect(await authenticate(t.db, owner.login, WRONG, thief, [owner.token])).toEqual(waiting(60_000));
	});

	it('vouches only for its own account, only with its secret, and not after the next log-in replaced it', async () => {
		const owner = await ownerWithDevice();
		const other = await createAccount(t.db);
		await failFrom(other.login, newAddress(), 6);
		expect(await authenticate(t.db, other.login, other.password, newAddress(), [owner.token])).toMatchObject({ reason: 'throttled' });

		await failFrom(owner.login, newAddress(), 6);
		const [id, secret] = owner.token.split('.') as [string, string];
		const forged = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
		expect(await authenticate(t.db, owner.login, owner.password, newAddress(), [forged])).toMatchObject({ reason: 'throttled' });

		const used = await authenticate(t.db, owner.login, owner.password, newAddress(), [owner.token]);
		expect(used).toMatchObject({ ok: true, device: id });
		await issueDevice(t.db, owner.accountId, id);
		expect(await authenticate(t.db, owner.login, owner.password, newAddress(), [owner.token])).toMatchObject({ reason: 'throttled' });
	});

	it('is stored as a hash only: no column holds the cookie’s secret', async () => {
		const owner = await ownerWithDevice();
		const [id, secret] = owner.token.split('.') as [string, string];
		const row = await t.db.selectFrom('device_cookie').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(row.account_id).toBe(owner.accountId);
		expect(JSON.stringify(row)).not.toContain(secret);
		expect(Buffer.from(row.secret_hash).toString('utf8')).not.toContain(secret);
	});
});
