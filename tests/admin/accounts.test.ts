/**
 * Admins find accounts by part of a name or number, disable and re-enable them (ending their
 * sessions), and grant and revoke roles with an optional community scope. Every change is audited
 * with roles and ids only; duplicates are refused, and in the end by the database itself.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	accountDetail,
	disableAccount,
	enableAccount,
	grantRole,
	revokeRole,
	searchAccounts,
	SEARCH_LIMIT
} from '../../src/lib/server/admin/accounts';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { loadUser } from '../../src/lib/server/auth/user';
import { isUniqueViolation } from '../../src/lib/server/db/errors';
import { describeConcurrent } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity, rowCounts, uniquePhone } from '../helpers/factories';

let t: TestDatabase;
let adminId: number;
const ZH = { locale: 'zh-CN' as const, onDate: '2026-03-02' };

beforeAll(async () => {
	t = await createTestDatabase();
	adminId = (await createAccount(t.db, { roles: ['resident', 'admin'] })).accountId;
});
afterAll(() => t?.close());

const TABLES = ['account', 'account_role', 'audit_log', 'session'] as const;

function auditOf(accountId: number) {
	return t.db
		.selectFrom('audit_log')
		.selectAll()
		.where('subject_type', '=', 'account')
		.where('subject_id', '=', String(accountId))
		.orderBy('id')
		.execute();
}

describe('searching accounts', () => {
	it('finds an account by part of the name, the full name, the display name or part of the phone', async () => {
		const community = await createCommunity(t.db, { nameZh: '搜索社区', nameEn: 'Search Community' });
		const phone = uniquePhone();
		const a = await createAccount(t.db, {
			familyName: '欧阳',
			givenName: '春晓',
			displayName: '欧阳老师',
			phone,
			communityId: community.id
		});
		for (const query of [
			'欧阳春',
			'春晓',
			'阳春',
			'欧阳老',
			phone.slice(-6),
			phone.slice(0, 7),
			`${phone.slice(0, 3)} ${phone.slice(3, 7)}`
		]) {
			const { hits } = await searchAccounts(t.db, query, ZH);
			expect(
				hits.map((h) => h.accountId),
				query
			).toContain(a.accountId);
		}
		const { hits } = await searchAccounts(t.db, '欧阳春晓', { locale: 'en', onDate: '2026-03-02' });
		expect(hits).toEqual([
			{
				accountId: a.accountId,
				familyName: '欧阳',
				givenName: '春晓',
				displayName: '欧阳老师',
				phone,
				email: null,
				community: 'Search Community',
				roles: ['resident'],
				disabled: false
			}
		]);
	});

	it('answers an empty list when nothing matches, and takes % and _ literally', async () => {
		await createAccount(t.db, { familyName: '司马', givenName: '光' });
		expect(await searchAccounts(t.db, '查无此人', ZH)).toEqual({ hits: [], more: false });
		expect(await searchAccounts(t.db, '%', ZH)).toEqual({ hits: [], more: false });
		expect(await searchAccounts(t.db, '_', ZH)).toEqual({ hits: [], more: false });
		expect(await searchAccounts(t.db, '   ', ZH)).toEqual({ hits: [], more: false });
	});

	it(`returns at most ${SEARCH_LIMIT} accounts and says that there are more`, async () => {
		for (let i = 0; i < SEARCH_LIMIT + 3; i++) await createAccount(t.db, { familyName: '诸葛', givenName: `测${i}` });
		const result = await searchAccounts(t.db, '诸葛', ZH);
		expect(result.hits).toHaveLength(SEARCH_LIMIT);
		expect(result.more).toBe(true);
		const exact = await searchAccounts(t.db, '诸葛测1', ZH);
		expect(exact.more).toBe(false);
	});
});

describe('an account page', () => {
	it('shows names, log-ins, the community in force, roles with their scope, and the dates', async () => {
		const home = await createCommunity(t.db, { nameZh: '东门社区X', nameEn: 'Dongmen X' });
		const other = await createCommunity(t.db, { nameZh: '立新社区X', nameEn: 'Lixin X' });
		const a = await createAccount(t.db, { communityId: home.id, roles: ['resident', { role: 'staff', communityId: other.id }] });
		const detail = await accountDetail(t.db, a.accountId, ZH);
		expect(detail).toMatchObject({
			accountId: a.accountId,
			phone: a.login,
			community: '东门社区X',
			lastLoginAt: null,
			disabledAt: null
		});
		expect(detail?.roles.map((r) => [r.role, r.communityId, r.community])).toEqual([
			['resident', null, null],
			['staff', other.id, '立新社区X']
		]);
		expect(await accountDetail(t.db, 999_999, ZH)).toBeNull();
	});
});

describe('disabling and re-enabling an account', () => {
	it('ends every session of the account at once and audits it; re-enabling lets it in again', async () => {
		const a = await createAccount(t.db);
		const first = await createSession(t.db, a.accountId);
		const second = await createSession(t.db, a.accountId);
		expect(await disableAccount(t.db, adminId, a.accountId)).toEqual({ ok: true });
		expect(await validateSessionToken(t.db, first.token)).toBeNull();
		expect(await validateSessionToken(t.db, second.token)).toBeNull();
		expect(await t.db.selectFrom('session').select('id').where('account_id', '=', a.accountId).execute()).toEqual([]);
		expect(await loadUser(t.db, a.accountId)).toBeNull();

		expect(await disableAccount(t.db, adminId, a.accountId)).toEqual({ ok: false, reason: 'already' });
		expect(await enableAccount(t.db, adminId, a.accountId, { demoMode: false })).toEqual({ ok: true });
		expect(await enableAccount(t.db, adminId, a.accountId, { demoMode: false })).toEqual({ ok: false, reason: 'already' });
		expect(await loadUser(t.db, a.accountId)).not.toBeNull();
		const entries = await auditOf(a.accountId);
		expect(entries.map((e) => [e.action, e.actor_account_id, e.details])).toEqual([
			['account.disable', adminId, {}],
			['account.enable', adminId, {}]
		]);
	});

	it('refuses to let admins disable themselves, and writes nothing', async () => {
		const session = await createSession(t.db, adminId);
		const before = await rowCounts(t.db, [...TABLES]);
		expect(await disableAccount(t.db, adminId, adminId)).toEqual({ ok: false, reason: 'self' });
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
		expect(await validateSessionToken(t.db, session.token)).not.toBeNull();
	});

	it('keeps a retired demo account disabled outside demo mode (its password is published)', async () => {
		const demo = await createAccount(t.db, { phone: '13800000001', disabled: true });
		expect(await enableAccount(t.db, adminId, demo.accountId, { demoMode: false })).toEqual({ ok: false, reason: 'demo-retired' });
		expect(await enableAccount(t.db, adminId, demo.accountId, { demoMode: true })).toEqual({ ok: true });
	});

	it('answers not-found for an account that does not exist', async () => {
		expect(await disableAccount(t.db, adminId, 999_999)).toEqual({ ok: false, reason: 'not-found' });
		expect(await enableAccount(t.db, adminId, 999_999, { demoMode: false })).toEqual({ ok: false, reason: 'not-found' });
	});
});

describe('granting and revoking roles', () => {
	it('grants staff limited to one community, effective at once, audited without personal data', async () => {
		const community = await createCommunity(t.db);
		const a = await createAccount(t.db, { familyName: '赵', givenName: '小红' });
		const result = await grantRole(t.db, adminId, a.accountId, { role: 'staff', communityId: community.id });
		expect(result.ok).toBe(true);
		const rows = await t.db
			.selectFrom('account_role')
			.selectAll()
			.where('account_id', '=', a.accountId)
			.where('role', '=', 'staff')
			.execute();
		expect(rows).toMatchObject([{ community_id: community.id, granted_by: adminId }]);
		expect((await loadUser(t.db, a.accountId))?.roles).toContainEqual({ role: 'staff', communityId: community.id });

		const [entry] = await auditOf(a.accountId);
		expect(entry).toMatchObject({
			actor_account_id: adminId,
			action: 'role.grant',
			community_id: community.id,
			details: { role: 'staff', community_id: community.id }
		});
		const stored = JSON.stringify(entry);
		for (const personal of ['赵', '小红', a.login]) expect(stored).not.toContain(personal);
	});

	it('answers a grant the account already holds with duplicate, for one community and for all', async () => {
		const community = await createCommunity(t.db);
		const a = await createAccount(t.db, { roles: ['resident', { role: 'staff', communityId: community.id }, 'trainer'] });
		const before = await rowCounts(t.db, [...TABLES]);
		expect(await grantRole(t.db, adminId, a.accountId, { role: 'staff', communityId: community.id })).toEqual({
			ok: false,
			reason: 'duplicate'
		});
		expect(await grantRole(t.db, adminId, a.accountId, { role: 'resident', communityId: null })).toEqual({
			ok: false,
			reason: 'duplicate'
		});
		// Trainer everywhere already covers any one community.
		expect(await grantRole(t.db, adminId, a.accountId, { role: 'trainer', communityId: community.id })).toEqual({
			ok: false,
			reason: 'covered'
		});
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
		// Staff in all communities on top of staff in one is a real change.
		expect((await grantRole(t.db, adminId, a.accountId, { role: 'staff', communityId: null })).ok).toBe(true);
	});

	it('is refused by the database when the same grant is inserted twice behind the service’s back', async () => {
		const a = await createAccount(t.db, { roles: ['resident'] });
		const error = await sql`INSERT INTO account_role (account_id, role, community_id) VALUES (${a.accountId}, 'resident', NULL)`
			.execute(t.db)
			.catch((e: unknown) => e);
		expect(isUniqueViolation(error, 'account_role_once')).toBe(true);
	});

	it('refuses an unknown account or community, and a community scope for admin or resident, writing nothing', async () => {
		const community = await createCommunity(t.db);
		const a = await createAccount(t.db);
		const before = await rowCounts(t.db, [...TABLES]);
		expect(await grantRole(t.db, adminId, 999_999, { role: 'staff', communityId: null })).toEqual({ ok: false, reason: 'not-found' });
		expect(await grantRole(t.db, adminId, a.accountId, { role: 'staff', communityId: 999_999 })).toEqual({
			ok: false,
			reason: 'unknown-community'
		});
		expect(await grantRole(t.db, adminId, a.accountId, { role: 'admin', communityId: community.id })).toEqual({
			ok: false,
			reason: 'not-scopable'
		});
		expect(await grantRole(t.db, adminId, a.accountId, { role: 'resident', communityId: community.id })).toEqual({
			ok: false,
			reason: 'not-scopable'
		});
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
	});

	it('revokes one grant and audits it; an admin cannot revoke their own admin role', async () => {
		const community = await createCommunity(t.db);
		const a = await createAccount(t.db, { roles: ['resident', { role: 'staff', communityId: community.id }] });
		const staff = await t.db
			.selectFrom('account_role')
			.select('id')
			.where('account_id', '=', a.accountId)
			.where('role', '=', 'staff')
			.executeTakeFirstOrThrow();
		expect(await revokeRole(t.db, adminId, a.accountId, staff.id)).toEqual({ ok: true, role: 'staff', communityId: community.id });
		expect((await loadUser(t.db, a.accountId))?.roles).toEqual([{ role: 'resident', communityId: null }]);
		const entries = await auditOf(a.accountId);
		expect(entries.at(-1)).toMatchObject({
			action: 'role.revoke',
			community_id: community.id,
			details: { role: 'staff', community_id: community.id }
		});

		expect(await revokeRole(t.db, adminId, a.accountId, staff.id)).toEqual({ ok: false, reason: 'not-found' });
		// A role id of another account is not found through this one.
		const own = await t.db
			.selectFrom('account_role')
			.select('id')
			.where('account_id', '=', adminId)
			.where('role', '=', 'admin')
			.executeTakeFirstOrThrow();
		expect(await revokeRole(t.db, adminId, a.accountId, own.id)).toEqual({ ok: false, reason: 'not-found' });
		const before = await rowCounts(t.db, [...TABLES]);
		expect(await revokeRole(t.db, adminId, adminId, own.id)).toEqual({ ok: false, reason: 'self-admin' });
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
	});
});

describeConcurrent('granting the same role at the same moment', () => {
	it('succeeds exactly once; every other attempt is answered as a duplicate', async () => {
		const pool = await createTestDatabase({ poolSize: 12 });
		try {
			const admin = await createAccount(pool.db, { roles: ['admin'] });
			const community = await createCommunity(pool.db);
			const a = await createAccount(pool.db);
			const results = await Promise.all(
				Array.from({ length: 12 }, () => grantRole(pool.db, admin.accountId, a.accountId, { role: 'staff', communityId: community.id }))
			);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.reason))).toEqual(Array(11).fill('duplicate'));
			const rows = await pool.db
				.selectFrom('account_role')
				.select('id')
				.where('account_id', '=', a.accountId)
				.where('role', '=', 'staff')
				.execute();
			expect(rows).toHaveLength(1);
			const audits = await pool.db.selectFrom('audit_log').select('id').where('action', '=', 'role.grant').execute();
			expect(audits).toHaveLength(1);
		} finally {
			await pool.close();
		}
	});
});

describe('the last administrator', () => {
	it('can be neither disabled nor stripped of the role; once a colleague is admin, both work', async () => {
		const own = await createTestDatabase();
		try {
			const first = await createAccount(own.db, { roles: ['admin'] });
			const second = await createAccount(own.db, { roles: ['admin'] });
			const adminGrant = (accountId: number) =>
				own.db
					.selectFrom('account_role')
					.select('id')
					.where('account_id', '=', accountId)
					.where('role', '=', 'admin')
					.executeTakeFirstOrThrow();
			// Two admins: the first takes the second's role, and is then the only one left.
			expect(await revokeRole(own.db, first.accountId, second.accountId, (await adminGrant(second.accountId)).id)).toMatchObject({ ok: true });
			const before = await rowCounts(own.db, [...TABLES]);
			// The second (still logged in as an admin a moment ago) cannot now disable or demote the first.
			expect(await disableAccount(own.db, second.accountId, first.accountId)).toEqual({ ok: false, reason: 'last-admin' });
			expect(await revokeRole(own.db, second.accountId, first.accountId, (await adminGrant(first.accountId)).id)).toEqual({
				ok: false,
				reason: 'last-admin'
			});
			expect(await rowCounts(own.db, [...TABLES])).toEqual(before);
			// A disabled admin does not count as a colleague who can run the portal.
			const third = await createAccount(own.db, { roles: ['admin'] });
			await own.db.updateTable('account').set({ disabled_at: new Date() }).where('id', '=', third.accountId).execute();
			expect(await disableAccount(own.db, second.accountId, first.accountId)).toEqual({ ok: false, reason: 'last-admin' });
			await own.db.updateTable('account').set({ disabled_at: null }).where('id', '=', third.accountId).execute();
			expect(await disableAccount(own.db, third.accountId, first.accountId)).toEqual({ ok: true });
		} finally {
			await own.close();
		}
	});
});

describeConcurrent('two administrators taking each other’s role at the same moment', () => {
	it('one of them keeps it', async () => {
		const pool = await createTestDatabase({ poolSize: 4 });
		try {
			const a = await createAccount(pool.db, { roles: ['admin'] });
			const b = await createAccount(pool.db, { roles: ['admin'] });
			const grantOf = async (accountId: number) =>
				(
					await pool.db
						.selectFrom('account_role')
						.select('id')
						.where('account_id', '=', accountId)
						.where('role', '=', 'admin')
						.executeTakeFirstOrThrow()
				).id;
			const [ga, gb] = await Promise.all([grantOf(a.accountId), grantOf(b.accountId)]);
			const results = await Promise.all([
				revokeRole(pool.db, a.accountId, b.accountId, gb),
				revokeRole(pool.db, b.accountId, a.accountId, ga)
			]);
			expect(results.filter((r) => r.ok)).toHaveLength(1);
			expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: 'last-admin' });
			const left = await pool.db.selectFrom('account_role').select('account_id').where('role', '=', 'admin').execute();
			expect(left).toHaveLength(1);
		} finally {
			await pool.close();
		}
	});
});
