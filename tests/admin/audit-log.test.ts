/**
 * The audit log as admins read it: newest first, 50 a page, filtered by action, actor, subject
 * type and Shanghai calendar dates; and the failed outbox messages, shown without their address and
 * put back in the queue on request (audited).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_PAGE_SIZE, auditPage, auditVocabulary, type AuditFilters } from '../../src/lib/server/admin/audit-log';
import { outboxFailures, retryFailedMessage } from '../../src/lib/server/admin/outbox';
import { audit } from '../../src/lib/server/audit';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity } from '../helpers/factories';

let t: TestDatabase;
let admin: Awaited<ReturnType<typeof createAccount>>;
let other: Awaited<ReturnType<typeof createAccount>>;
const NONE: AuditFilters = { action: null, actorAccountId: null, subjectType: null, from: null, to: null };

/** One entry at `at` (UTC instant) through the real audit() with the clock set there. */
async function entryAt(at: string, action: string, actorAccountId: number | null, subjectType = 'account', subjectId: number | null = 1) {
	setClock(fixedClock(at));
	try {
		await audit(t.db, { actorAccountId, action, subjectType, subjectId });
	} finally {
		resetClock();
	}
}

beforeAll(async () => {
	t = await createTestDatabase();
	admin = await createAccount(t.db, { familyName: '欧阳', givenName: '伟', roles: ['admin'] });
	other = await createAccount(t.db, { roles: ['admin'] });
	// Around midnight in Shanghai on 2 March 2026 (16:00 UTC on 1 March).
	await entryAt('2026-03-01T15:59:59Z', 'test.before_midnight', admin.accountId);
	await entryAt('2026-03-01T16:00:00Z', 'test.after_midnight', admin.accountId);
	await entryAt('2026-03-02T15:59:59Z', 'test.end_of_day', other.accountId, 'community', 7);
	await entryAt('2026-03-02T16:00:00Z', 'test.next_day', null, 'job', null);
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const actions = async (filters: Partial<AuditFilters>) =>
	(await auditPage(t.db, { ...NONE, ...filters }, 1, 'zh-CN')).rows.map((r) => r.action).filter((a) => a.startsWith('test.'));

describe('the audit log', () => {
	it('lists entries newest first, with the actor’s name', async () => {
		const { rows } = await auditPage(t.db, NONE, 1, 'zh-CN');
		expect(rows.map((r) => r.action).filter((a) => a.startsWith('test.'))).toEqual([
			'test.next_day',
			'test.end_of_day',
			'test.after_midnight',
			'test.before_midnight'
		]);
		const mine = rows.find((r) => r.action === 'test.after_midnight');
		expect(mine).toMatchObject({ actorAccountId: admin.accountId, actorName: '欧阳伟', subjectType: 'account', subjectId: '1' });
		expect(rows.find((r) => r.action === 'test.next_day')).toMatchObject({ actorAccountId: null, actorName: null, subjectId: null });
	});

	it('filters by Shanghai calendar dates, both ends included', async () => {
		expect(await actions({ from: '2026-03-02', to: '2026-03-02' })).toEqual(['test.end_of_day', 'test.after_midnight']);
		expect(await actions({ to: '2026-03-01' })).toEqual(['test.before_midnight']);
		expect(await actions({ from: '2026-03-03' })).toEqual(['test.next_day']);
	});

	it('filters by action, by actor and by subject type, together too', async () => {
		expect(await actions({ action: 'test.end_of_day' })).toEqual(['test.end_of_day']);
		expect(await actions({ actorAccountId: admin.accountId })).toEqual(['test.after_midnight', 'test.before_midnight']);
		expect(await actions({ subjectType: 'community' })).toEqual(['test.end_of_day']);
		expect(await actions({ actorAccountId: admin.accountId, from: '2026-03-02' })).toEqual(['test.after_midnight']);
		expect(await actions({ action: 'no.such_action' })).toEqual([]);
	});

	it('offers the actions and subject types that occur, in order', async () => {
		const vocabulary = await auditVocabulary(t.db);
		expect(vocabulary.actions).toEqual(
			expect.arrayContaining(['test.after_midnight', 'test.before_midnight', 'test.end_of_day', 'test.next_day'])
		);
		expect(vocabulary.actions).toEqual([...vocabulary.actions].sort());
		expect(new Set(vocabulary.actions).size).toBe(vocabulary.actions.length);
		expect(vocabulary.subjectTypes).toEqual(expect.arrayContaining(['account', 'community', 'job']));
	});

	it(`pages ${AUDIT_PAGE_SIZE} entries at a time and says whether another page follows`, async () => {
		for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
			await entryAt(new Date(Date.UTC(2026, 3, 1, 0, i)).toISOString(), 'test.paged', other.accountId);
		}
		const filters = { ...NONE, action: 'test.paged' };
		const first = await auditPage(t.db, filters, 1, 'zh-CN');
		const second = await auditPage(t.db, filters, 2, 'zh-CN');
		expect(first.rows).toHaveLength(AUDIT_PAGE_SIZE);
		expect(first.hasNext).toBe(true);
		expect(second.rows).toHaveLength(5);
		expect(second.hasNext).toBe(false);
		const times = [...first.rows, ...second.rows].map((r) => r.at.getTime());
		expect(times).toEqual([...times].sort((a, b) => b - a));
		expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(AUDIT_PAGE_SIZE + 5);
	});

	it('names the community of an entry in the reader’s language', async () => {
		const community = await createCommunity(t.db, { nameZh: '湖贝社区Y', nameEn: 'Hubei Y' });
		await audit(t.db, {
			actorAccountId: admin.accountId,
			action: 'test.community',
			subjectType: 'community',
			subjectId: community.id,
			communityId: community.id
		});
		const filters = { ...NONE, action: 'test.community' };
		expect((await auditPage(t.db, filters, 1, 'zh-CN')).rows[0]?.community).toBe('湖贝社区Y');
		expect((await auditPage(t.db, filters, 1, 'en')).rows[0]?.community).toBe('Hubei Y');
	});
});

describe('failed outbox messages', () => {
	async function message(status: 'failed' | 'pending' | 'sent', address: string) {
		const at = new Date('2026-03-02T02:00:00Z');
		return t.db
			.insertInto('outbox')
			.values({
				channel: 'sms',
				address,
				locale: 'zh-CN',
				kind: 'password_reset',
				payload: JSON.stringify({ link: 'https://example.invalid/reset/secret' }),
				status,
				attempts: 5,
				last_error: 'gateway timeout',
				next_attempt_at: at,
				created_at: at
			})
			.returning('id')
			.executeTakeFirstOrThrow();
	}

	it('are listed with channel, kind, attempts, error and time, never the address', async () => {
		const failed = await message('failed', '13912345678');
		await message('pending', '13912345679');
		const failures = await outboxFailures(t.db);
		expect(failures).toEqual([
			{
				id: failed.id,
				channel: 'sms',
				kind: 'password_reset',
				attempts: 5,
				lastError: 'gateway timeout',
				createdAt: new Date('2026-03-02T02:00:00Z')
			}
		]);
		expect(JSON.stringify(failures)).not.toContain('1391234567');
	});

	it('are put back in the queue on request, audited without the address; other messages are left alone', async () => {
		const failed = await message('failed', '13912345670');
		expect(await retryFailedMessage(t.db, admin.accountId, failed.id)).toBe(true);
		const row = await t.db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', failed.id).executeTakeFirstOrThrow();
		expect(row).toEqual({ status: 'pending', attempts: 0 });
		const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'outbox.retry').executeTakeFirstOrThrow();
		expect(entry).toMatchObject({
			actor_account_id: admin.accountId,
			subject_type: 'outbox',
			subject_id: String(failed.id),
			details: { channel: 'sms', kind: 'password_reset' }
		});
		expect(JSON.stringify(entry)).not.toContain('13912345670');

		// Already back in the queue, or never failed, or unknown: nothing happens, nothing is audited.
		const sent = await message('sent', '13912345671');
		for (const id of [failed.id, sent.id, 999_999]) expect(await retryFailedMessage(t.db, admin.accountId, id)).toBe(false);
		expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'outbox.retry').execute()).toHaveLength(1);
	});
});
