/**
 * Admins manage communities: create with a unique code, rename, and record the registered
 * population with the date it applies from; the figure in force follows the Shanghai calendar.
 * Every change is audited, with no personal data in the details.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
	communityDetail,
	createCommunity,
	listCommunities,
	recordPopulation,
	renameCommunity
} from '../../src/lib/server/admin/communities';
import { fixedClock, resetClock, setClock, today } from '../../src/lib/server/clock';
import { isUniqueViolation } from '../../src/lib/server/db/errors';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity as makeCommunity, rowCounts } from '../helpers/factories';

let t: TestDatabase;
let adminId: number;
let clock: ReturnType<typeof fixedClock>;
let codeCounter = 0;
const newCode = () => `test-${process.pid}-${++codeCounter}`;

beforeAll(async () => {
	t = await createTestDatabase();
	adminId = (await createAccount(t.db, { roles: ['admin'] })).accountId;
});
afterAll(() => t?.close());
beforeEach(() => {
	// 2026-03-01 00:30 in Shanghai, still 28 February in UTC.
	clock = fixedClock('2026-02-28T16:30:00Z');
	setClock(clock);
});
afterEach(() => resetClock());

function auditFor(communityId: number) {
	return t.db
		.selectFrom('audit_log')
		.selectAll()
		.where('subject_type', '=', 'community')
		.where('subject_id', '=', String(communityId))
		.orderBy('id')
		.execute();
}

describe('creating a community', () => {
	it('stores the code and both names, and audits who did it', async () => {
		const code = newCode();
		const result = await createCommunity(t.db, adminId, { code, nameZh: '新安社区', nameEn: 'Xin’an Community' });
		expect(result.ok).toBe(true);
		const id = result.ok ? result.id : 0;
		const row = await t.db.selectFrom('community').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ code, name_zh: '新安社区', name_en: 'Xin’an Community' });
		const entries = await auditFor(id);
		expect(entries).toHaveLength(1);
		expect(entries[0]).toMatchObject({ actor_account_id: adminId, action: 'community.create', community_id: id, details: { code } });
	});

	it('refuses a code another community has, and writes nothing', async () => {
		const existing = await makeCommunity(t.db);
		const before = await rowCounts(t.db, ['community', 'audit_log']);
		expect(await createCommunity(t.db, adminId, { code: existing.code, nameZh: '重复', nameEn: 'Duplicate' })).toEqual({
			ok: false,
			reason: 'code-taken'
		});
		expect(await rowCounts(t.db, ['community', 'audit_log'])).toEqual(before);
	});

	it('leaves duplicate codes to the database in the end (the check in code is only a courtesy)', async () => {
		const existing = await makeCommunity(t.db);
		const error = await sql`INSERT INTO community (code, name_zh, name_en) VALUES (${existing.code}, 'x', 'x')`
			.execute(t.db)
			.catch((e: unknown) => e);
		expect(isUniqueViolation(error, 'community_code_key')).toBe(true);
	});
});

describe('renaming a community', () => {
	it('changes both names and audits the old and new names', async () => {
		const community = await makeCommunity(t.db, { nameZh: '旧名社区', nameEn: 'Old Name' });
		expect(await renameCommunity(t.db, adminId, community.id, { nameZh: '新名社区', nameEn: 'New Name' })).toEqual({ ok: true });
		const row = await t.db
			.selectFrom('community')
			.select(['name_zh', 'name_en', 'code'])
			.where('id', '=', community.id)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ name_zh: '新名社区', name_en: 'New Name', code: community.code });
		const [entry] = await auditFor(community.id);
		expect(entry).toMatchObject({
			action: 'community.rename',
			actor_account_id: adminId,
			details: { before: { name_zh: '旧名社区', name_en: 'Old Name' }, after: { name_zh: '新名社区', name_en: 'New Name' } }
		});
	});

	it('answers not-found for a community that does not exist, writing nothing', async () => {
		const before = await rowCounts(t.db, ['audit_log']);
		expect(await renameCommunity(t.db, adminId, 999_999, { nameZh: '无', nameEn: 'None' })).toEqual({ ok: false, reason: 'not-found' });
		expect(await rowCounts(t.db, ['audit_log'])).toEqual(before);
	});
});

describe('registered population', () => {
	it('marks the figure in force on the Shanghai date, not the UTC one', async () => {
		expect(today()).toBe('2026-03-01');
		const community = await makeCommunity(t.db);
		await recordPopulation(t.db, adminId, community.id, { population: 10_000, effectiveFrom: '2025-01-01' });
		await recordPopulation(t.db, adminId, community.id, { population: 10_500, effectiveFrom: '2026-03-01' });
		await recordPopulation(t.db, adminId, community.id, { population: 11_000, effectiveFrom: '2027-01-01' });

		const detail = await communityDetail(t.db, community.id, today());
		expect(detail?.history.map((h) => [h.effectiveFrom, h.population, h.status])).toEqual([
			['2027-01-01', 11_000, 'future'],
			['2026-03-01', 10_500, 'in-force'],
			['2025-01-01', 10_000, 'superseded']
		]);
		const listed = (await listCommunities(t.db, today())).find((c) => c.id === community.id);
		expect(listed?.population).toEqual({ population: 10_500, effectiveFrom: '2026-03-01' });

		// Half an hour earlier it was still 28 February in Shanghai: the older figure applied.
		clock.set('2026-02-28T15:59:00Z');
		expect((await communityDetail(t.db, community.id, today()))?.history.find((h) => h.status === 'in-force')?.population).toBe(10_000);
	});

	it('lists a community with no figure yet as having none', async () => {
		const community = await makeCommunity(t.db);
		await recordPopulation(t.db, adminId, community.id, { population: 500, effectiveFrom: '2026-06-01' });
		const listed = (await listCommunities(t.db, today())).find((c) => c.id === community.id);
		expect(listed?.population).toBeNull();
		expect((await communityDetail(t.db, community.id, today()))?.history.map((h) => h.status)).toEqual(['future']);
	});

	it('audits each figure, and a second figure for the same date corrects the first with the old value kept', async () => {
		const community = await makeCommunity(t.db);
		expect(await recordPopulation(t.db, adminId, community.id, { population: 9_600, effectiveFrom: '2026-01-01' })).toEqual({
			ok: true,
			corrected: false
		});
		expect(await recordPopulation(t.db, adminId, community.id, { population: 9_650, effectiveFrom: '2026-01-01' })).toEqual({
			ok: true,
			corrected: true,
			previous: 9_600
		});
		const figures = await t.db
			.selectFrom('community_population')
			.select(['population', 'effective_from'])
			.where('community_id', '=', community.id)
			.execute();
		expect(figures).toEqual([{ population: 9_650, effective_from: '2026-01-01' }]);
		const entries = await auditFor(community.id);
		expect(entries.map((e) => [e.action, e.details])).toEqual([
			['community.population', { population: 9_600, effective_from: '2026-01-01' }],
			['community.population_correct', { population: 9_650, effective_from: '2026-01-01', previous: 9_600 }]
		]);
	});

	it('answers not-found for an unknown community and writes nothing', async () => {
		const before = await rowCounts(t.db, ['community_population', 'audit_log']);
		expect(await recordPopulation(t.db, adminId, 999_999, { population: 1, effectiveFrom: '2026-01-01' })).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(await rowCounts(t.db, ['community_population', 'audit_log'])).toEqual(before);
	});
});
