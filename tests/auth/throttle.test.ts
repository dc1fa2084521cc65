/**
 * Log-in throttling with the injected clock: five wrong answers are answered as wrong; then each
 * further attempt must wait 30 s, doubling with every failure after a wait, up to 15 minutes.
 * Unknown logins take exactly the same path, and one address trying many logins is slowed too.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authenticate, type AuthenticateResult } from '../../src/lib/server/auth/accounts';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, FACTORY_PASSWORD, uniquePhone } from '../helpers/factories';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const WRONG = 'not-the-password-2026';
const INVALID: AuthenticateResult = { ok: false, reason: 'invalid' };
const waiting = (waitMs: number): AuthenticateResult => ({ ok: false, reason: 'throttled', waitMs });

let t: TestDatabase;
let clock: ReturnType<typeof fixedClock>;
let addressCounter = 0;
/** Each test tries from its own address, so that the per-address throttle stays out of the way. */
const newAddress = () => `198.51.100.${++addressCounter}`;

beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
beforeEach(() => {
	clock = fixedClock('2026-03-02T01:00:00Z');
	setClock(clock);
});
afterEach(() => resetClock());

function attempt(login: string, password: string, address: string): Promise<AuthenticateResult> {
	return authenticate(t.db, login, password, address);
}

async function failTimes(n: number, login: string, address: string): Promise<AuthenticateResult[]> {
	const results: AuthenticateResult[] = [];
	for (let i = 0; i < n; i++) results.push(await attempt(login, WRONG, address));
	return results;
}

/**
 * Five failures, then: wait out each delay and fail once more, `rounds` times. Returns every answer
 * in order, so that two logins can be compared answer by answer.
 */
async function failureLadder(login: string, address: string, rounds: number): Promise<AuthenticateResult[]> {
	const answers = await failTimes(5, login, address);
	for (let round = 0; round < rounds; round++) {
		const refused = await attempt(login, WRONG, address);
		answers.push(refused);
		if (refused.ok || refused.reason !== 'throttled') return answers;
		clock.advance(refused.waitMs);
		answers.push(await attempt(login, WRONG, address));
	}
	answers.push(await attempt(login, WRONG, address));
	return answers;
}

// What the ladder above must answer: 5 × invalid, then wait 30 s, fail, wait 60 s, fail, … 15 min.
const EXPECTED_WAITS = [30 * SECOND, 1 * MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 15 * MINUTE, 15 * MINUTE, 15 * MINUTE];
const EXPECTED_LADDER: AuthenticateResult[] = [
	...Array.from({ length: 5 }, () => INVALID),
	...EXPECTED_WAITS.slice(0, -1).flatMap((w) => [waiting(w), INVALID]),
	waiting(EXPECTED_WAITS.at(-1)!)
];

describe('log-in throttling for one account', () => {
	it('answers the first five wrong passwords as wrong, then makes the sixth attempt wait 30 seconds', async () => {
		const { login } = await createAccount(t.db);
		const address = newAddress();
		expect(await failTimes(5, login, address)).toEqual(Array.from({ length: 5 }, () => INVALID));
		expect(await attempt(login, WRONG, address)).toEqual(waiting(30 * SECOND));
	});

	it('doubles the wait after each failure that follows a wait (60 s, 2, 4, 8 min) up to 15 minutes', async () => {
		const { login } = await createAccount(t.db);
		expect(await failureLadder(login, newAddress(), EXPECTED_WAITS.length - 1)).toEqual(EXPECTED_LADDER);
	});

	it('does not count attempts made while waiting: the wait runs down and does not grow', async () => {
		const { login } = await createAccount(t.db);
		const address = newAddress();
		await failTimes(5, login, address);
		expect(await attempt(login, WRONG, address)).toEqual(waiting(30 * SECOND));
		for (let i = 0; i < 10; i++) expect(await attempt(login, WRONG, address)).toEqual(waiting(30 * SECOND));
		clock.advance(10 * SECOND);
		expect(await attempt(login, WRONG, address)).toEqual(waiting(20 * SECOND));
		// Even the right password waits: the throttle does not test passwords while it holds.
		expect(await attempt(login, FACTORY_PASSWORD, address)).toEqual(waiting(20 * SECOND));
		clock.advance(20 * SECOND - 1);
		expect(await attempt(login, WRONG, address)).toEqual(waiting(1));
		clock.advance(1);
		// Only the failures were counted (6 now), not the twelve refused attempts: 60 s, not more.
		expect(await attempt(login, WRONG, address)).toEqual(INVALID);
		expect(await attempt(login, WRONG, address)).toEqual(waiting(1 * MINUTE));
	});

	it('lets the right password in once the delay has passed, and starts the count afresh', async () => {
		const { login, accountId } = await createAccount(t.db);
		const address = newAddress();
		await failTimes(5, login, address);
		clock.advance(30 * SECOND);
		expect(await attempt(login, WRONG, address)).toEqual(INVALID);
		expect(await attempt(login, FACTORY_PASSWORD, address)).toEqual(waiting(1 * MINUTE));
		clock.advance(1 * MINUTE);
		expect(await attempt(login, FACTORY_PASSWORD, address)).toEqual({ ok: true, accountId });
		expect(await t.db.selectFrom('throttle').select('key').where('key', 'like', `%${login}%`).execute()).toEqual([]);
		// Cleared: five new failures are answered as wrong again before any wait (from another
		// address, so that only the account's own count is in play).
		const elsewhere = newAddress();
		expect(await failTimes(5, login, elsewhere)).toEqual(Array.from({ length: 5 }, () => INVALID));
		expect(await attempt(login, FACTORY_PASSWORD, elsewhere)).toEqual(waiting(30 * SECOND));
	});

	it('counts the same account however its number is typed (+86, spaces, dashes)', async () => {
		const phone = uniquePhone();
		await createAccount(t.db, { phone });
		const spellings = [
			phone,
			`+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
			`0086${phone}`,
			`${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`
		];
		const address = newAddress();
		for (let i = 0; i < 5; i++) expect(await attempt(spellings[i % spellings.length]!, WRONG, address)).toEqual(INVALID);
		expect(await attempt(spellings[1]!, FACTORY_PASSWORD, address)).toEqual(waiting(30 * SECOND));
	});

	it('counts the same e-mail account whatever the letter case', async () => {
		const email = `wang.${uniquePhone()}@example.cn`;
		await createAccount(t.db, { phone: null, email });
		const address = newAddress();
		for (const typed of [email, email.toUpperCase(), ` ${email} `, email, email.toUpperCase()]) {
			expect(await attempt(typed, WRONG, address)).toEqual(INVALID);
		}
		expect(await attempt(email, FACTORY_PASSWORD, address)).toEqual(waiting(30 * SECOND));
	});

	it('forgets failures after an hour without one', async () => {
		const { login, accountId } = await createAccount(t.db);
		const address = newAddress();
		await failTimes(4, login, address);
		clock.advance(61 * MINUTE);
		expect(await failTimes(5, login, address)).toEqual(Array.from({ length: 5 }, () => INVALID));
		expect(await attempt(login, FACTORY_PASSWORD, address)).toEqual(waiting(30 * SECOND));
		clock.advance(30 * SECOND);
		expect(await attempt(login, FACTORY_PASSWORD, address)).toEqual({ ok: true, accountId });
	});
});

describe('log-in throttling for a login that has no account', () => {
	it.each([
		['an unknown mobile number', () => uniquePhone()],
		['an unknown e-mail address', () => `nobody.${uniquePhone()}@example.cn`],
		['text that is neither', () => `somebody-${uniquePhone()}`]
	])('gives %s exactly the answers a known account gets, wait for wait', async (_, makeLogin) => {
		const known = await createAccount(t.db);
		const start = clock.now();
		const knownAnswers = await failureLadder(known.login, newAddress(), EXPECTED_WAITS.length - 1);
		clock.set(start);
		const unknownAnswers = await failureLadder(makeLogin(), newAddress(), EXPECTED_WAITS.length - 1);
		expect(knownAnswers).toEqual(EXPECTED_LADDER);
		expect(unknownAnswers).toEqual(knownAnswers);
	});

	it('answers a disabled account with a wrong password like an unknown login', async () => {
		const disabled = await createAccount(t.db, { disabled: true });
		const address = newAddress();
		expect(await failTimes(5, disabled.login, address)).toEqual(Array.from({ length: 5 }, () => INVALID));
		expect(await attempt(disabled.login, WRONG, address)).toEqual(waiting(30 * SECOND));
	});
});

describe('log-in throttling per address', () => {
	it('slows one address trying twenty different logins, even for a right password, and no other address', async () => {
		const resident = await createAccount(t.db);
		const address = newAddress();
		// Each login fails once only, so no account's own count comes near its threshold.
		for (let i = 0; i < 20; i++) expect(await attempt(uniquePhone(), WRONG, address)).toEqual(INVALID);
		expect(await attempt(uniquePhone(), WRONG, address)).toEqual(waiting(30 * SECOND));
		expect(await attempt(resident.login, FACTORY_PASSWORD, address)).toEqual(waiting(30 * SECOND));
		expect(await attempt(resident.login, FACTORY_PASSWORD, newAddress())).toEqual({ ok: true, accountId: resident.accountId });
		clock.advance(30 * SECOND);
		expect(await attempt(resident.login, FACTORY_PASSWORD, address)).toEqual({ ok: true, accountId: resident.accountId });
	});

	it('leaves an address alone after nineteen failures', async () => {
		const resident = await createAccount(t.db);
		const address = newAddress();
		for (let i = 0; i < 19; i++) await attempt(uniquePhone(), WRONG, address);
		expect(await attempt(resident.login, FACTORY_PASSWORD, address)).toEqual({ ok: true, accountId: resident.accountId });
	});
});
