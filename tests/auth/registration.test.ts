/**
 * The registration service and the password policy, without HTTP.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { register, type Registration } from '../../src/lib/server/auth/accounts';
import { passwordProblem, verifyPassword } from '../../src/lib/server/auth/password';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { describeConcurrent } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity, rowCounts, uniquePhone } from '../helpers/factories';

const TABLES = ['person', 'community_membership', 'account', 'account_role', 'audit_log', 'session'] as const;
const PASSWORD = 'morning tai chi by the river';

let t: TestDatabase;
let communityId: number;

beforeAll(async () => {
	t = await createTestDatabase();
	communityId = (await createCommunity(t.db)).id;
});
afterAll(() => t?.close());
// 01:30 on 1 April in Shanghai is still 31 March in UTC: the membership must start on 1 April.
beforeEach(() => setClock(fixedClock('2026-03-31T17:30:00Z')));
afterEach(() => resetClock());

function registration(overrides: Partial<Registration> = {}): Registration {
	return {
		phone: uniquePhone(),
		email: null,
		familyName: '欧阳',
		givenName: '娜娜',
		displayName: '欧阳阿姨',
		birthYear: 1952,
		communityId,
		password: PASSWORD,
		locale: 'zh-CN',
		...overrides
	};
}

describe('registering', () => {
	it('creates the person, their membership, the account, the resident role and an audit entry', async () => {
		const input = registration({ email: `ouyang.${uniquePhone()}@example.cn`, locale: 'en' });
		const before = await rowCounts(t.db, [...TABLES]);
		const result = await register(t.db, input);
		if (!result.ok) throw new Error(`registration refused: ${result.reason}`);

		const person = await t.db.selectFrom('person').selectAll().where('id', '=', result.personId).executeTakeFirstOrThrow();
		expect(person).toMatchObject({
			family_name: '欧阳',
			given_name: '娜娜',
			display_name: '欧阳阿姨',
			phone: input.phone,
			email: input.email,
			birth_year: 1952
		});
		const memberships = await t.db
			.selectFrom('community_membership')
			.select(['community_id', 'valid_from', 'valid_to'])
			.where('person_id', '=', result.personId)
			.execute();
		expect(memberships).toEqual([{ community_id: communityId, valid_from: '2026-04-01', valid_to: null }]);
		const account = await t.db.selectFrom('account').selectAll().where('id', '=', result.accountId).executeTakeFirstOrThrow();
		expect(account).toMatchObject({
			person_id: result.personId,
			login_phone: input.phone,
			login_email: input.email,
			locale: 'en',
			disabled_at: null
		});
		expect(account.privacy_accepted_at).toEqual(new Date('2026-03-31T17:30:00Z'));
		expect(account.password_hash).toMatch(/^\$argon2id\$/);
		expect(account.password_hash).not.toContain(PASSWORD);
		expect(await verifyPassword(account.password_hash, PASSWORD)).toBe(true);
		const roles = await t.db
			.selectFrom('account_role')
			.select(['role', 'community_id'])
			.where('account_id', '=', result.accountId)
			.execute();
		expect(roles).toEqual([{ role: 'resident', community_id: null }]);
		const audit = await t.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'account.register')
			.where('subject_id', '=', String(result.accountId))
			.execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor_account_id: result.accountId, subject_type: 'account', community_id: communityId });
		// The audit trail names records, never people.
		const auditText = JSON.stringify(audit[0]);
		for (const personal of [input.phone!, input.email!, '欧阳', '娜娜', PASSWORD]) expect(auditText).not.toContain(personal);

		const after = await rowCounts(t.db, [...TABLES]);
		expect(after).toEqual({
			...before,
			person: before.person! + 1,
			community_membership: before.community_membership! + 1,
			account: before.account! + 1,
			account_role: before.account_role! + 1,
			audit_log: before.audit_log! + 1
		});
	});

	it('registers with an e-mail address alone', async () => {
		const email = `li.${uniquePhone()}@example.cn`;
		const result = await register(t.db, registration({ phone: null, email }));
		expect(result).toMatchObject({ ok: true });
		const account = await t.db
			.selectFrom('account')
			.select(['login_phone', 'login_email'])
			.where('login_email', '=', email)
			.executeTakeFirst();
		expect(account).toEqual({ login_phone: null, login_email: email });
	});

	it('writes all of it or nothing: a failure at the last step leaves no person, account or role behind', async () => {
		await sql`CREATE FUNCTION hd_test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$`.execute(
			t.db
		);
		await sql`CREATE TRIGGER hd_test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION hd_test_refuse_audit()`.execute(
			t.db
		);
		try {
			const input = registration();
			const before = await rowCounts(t.db, [...TABLES]);
			await expect(register(t.db, input)).rejects.toThrow(/audit refused by the test/);
			expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
			expect(await t.db.selectFrom('person').select('id').where('phone', '=', input.phone).execute()).toEqual([]);
		} finally {
			await sql`DROP TRIGGER hd_test_refuse_audit ON audit_log`.execute(t.db);
			await sql`DROP FUNCTION hd_test_refuse_audit()`.execute(t.db);
		}
	});

	it('answers "phone taken" for a number that already has an account, and writes nothing', async () => {
		const existing = await createAccount(t.db);
		const before = await rowCounts(t.db, [...TABLES]);
		expect(await register(t.db, registration({ phone: existing.login }))).toEqual({ ok: false, reason: 'phone-taken' });
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
	});

	it('answers "e-mail taken" for an address that already has an account, and writes nothing', async () => {
		const email = `chen.${uniquePhone()}@example.cn`;
		await createAccount(t.db, { email });
		const before = await rowCounts(t.db, [...TABLES]);
		expect(await register(t.db, registration({ email }))).toEqual({ ok: false, reason: 'email-taken' });
		expect(await register(t.db, registration({ phone: null, email }))).toEqual({ ok: false, reason: 'email-taken' });
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
	});

	it('refuses a community that does not exist, and writes nothing', async () => {
		const before = await rowCounts(t.db, [...TABLES]);
		expect(await register(t.db, registration({ communityId: 987_654 }))).toEqual({ ok: false, reason: 'unknown-community' });
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
	});
});

describeConcurrent('two registrations of one number at the same moment', () => {
	it('make one account; the other is told the number is taken', async () => {
		const phone = uniquePhone();
		const before = await rowCounts(t.db, [...TABLES]);
		const results = await Promise.all([register(t.db, registration({ phone })), register(t.db, registration({ phone }))]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'phone-taken' }]);
		const after = await rowCounts(t.db, [...TABLES]);
		expect(after.account).toBe(before.account! + 1);
		expect(after.person).toBe(before.person! + 1);
	});
});

describe('the password policy', () => {
	const listFile = path.resolve(import.meta.dirname, '../../src/lib/server/auth/common-passwords.txt');
	const committedList = fs
		.readFileSync(listFile, 'utf8')
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('#'));

	it('refuses every password on the committed common list, in any letter case', () => {
		expect(committedList.length).toBeGreaterThan(100);
		for (const common of committedList) {
			expect(passwordProblem(common), common).toBe('error.passwordCommon');
			expect(passwordProblem(common.toUpperCase()), common).toBe('error.passwordCommon');
		}
	});

	it('refuses runs and repeats such as 12345678 and aaaaaaaa', () => {
		for (const run of ['12345678', '23456789', '87654321', 'abcdefgh', 'ABCDEFGHIJ', 'zyxwvuts', 'aaaaaaaa', '00000000000', '88888888']) {
			expect(passwordProblem(run), run).toBe('error.passwordCommon');
		}
	});

	it('refuses the login itself as the password', () => {
		expect(passwordProblem('13800138000', ['13800138000', null])).toBe('error.passwordSameAsLogin');
		expect(passwordProblem('Wang.Fang@Example.CN', [null, 'wang.fang@example.cn'])).toBe('error.passwordSameAsLogin');
		expect(passwordProblem('wang.fang@example.cn', ['13800138000', 'wang.fang@example.cn'])).toBe('error.passwordSameAsLogin');
	});

	it('accepts ordinary passwords and passphrases with no composition rules', () => {
		for (const fine of [PASSWORD, 'plumblossom', '我爱健康东门社区', '13800138001', '1234567x', 'abcdefgh1', 'correct horse']) {
			expect(passwordProblem(fine, ['13800138000', 'wang.fang@example.cn']), fine).toBeNull();
		}
	});
});
