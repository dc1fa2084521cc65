/** Admins find two records of one person by name or phone, see what a merge would do, then confirm it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '../../src/lib/server/booking/reservations';
import { addMember } from '../../src/lib/server/households/households';
import { maskedPhone, mergeCandidates, mergePreview } from '../../src/lib/server/people/merge-preview';
import { describeOnPostgres } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createOccurrence, createPerson } from '../helpers/factories';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

let t: TestDatabase;
let server: ServerProcess | undefined;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(async () => {
	await server?.stop();
	await t?.close();
});

const DAY = 24 * 60 * 60_000;
let n = 0;

/** One person twice: an account, and a record staff made at the counter; both booked one session. */
async function twoRecords() {
	n++;
	const given = `建华${n}${Date.now() % 10_000}`;
	const keep = await createAccount(t.db, { familyName: '周', givenName: given });
	const drop = await createPerson(t.db, { familyName: '周', givenName: given, phone: null, birthYear: 1950 });
	const both = await createOccurrence(t.db, { capacity: 5, startsAt: new Date(Date.now() + 2 * DAY), title: '太极拳' });
	const onlyDrop = await createOccurrence(t.db, { capacity: 5, startsAt: new Date(Date.now() + 3 * DAY), title: '八段锦' });
	const dropActor = { accountId: null, personId: drop.id };
	const kept = await reserve(t.db, {
		occurrenceId: both.id,
		personId: keep.personId,
		actor: { accountId: keep.accountId, personId: keep.personId }
	});
	const dup = await reserve(t.db, { occurrenceId: both.id, personId: drop.id, actor: dropActor });
	const moved = await reserve(t.db, { occurrenceId: onlyDrop.id, personId: drop.id, actor: dropActor });
	if (!kept.ok || !dup.ok || !moved.ok) throw new Error('setup');
	await addMember(
		t.db,
		{ accountId: keep.accountId, personId: drop.id },
		{ familyName: '周', givenName: '老', displayName: null, birthYear: 1930, phone: null }
	);
	return { given, keep, drop, both, dup };
}

describe('before a merge', () => {
	it('finds both records by name and by phone, with names and phones masked', async () => {
		const { given, keep, drop } = await twoRecords();
		const byName = await mergeCandidates(t.db, `周${given}`, 'zh-CN');
		expect(byName.map((c) => c.id).sort()).toEqual([keep.personId, drop.id].sort());
		const masked = byName.find((c) => c.id === keep.personId)!;
		expect(masked.name).toBe(`周*${given.at(-1)}`);
		expect(masked.phone).toBe(maskedPhone(keep.person.phone));
		expect(masked.phone).not.toContain(keep.person.phone!.slice(3, 7));
		expect(masked.hasAccount).toBe(true);
		expect(byName.find((c) => c.id === drop.id)?.hasAccount).toBe(false);
		expect((await mergeCandidates(t.db, keep.person.phone!.slice(0, 9), 'zh-CN')).map((c) => c.id)).toContain(keep.personId);
	});

	it('previews both records, what moves and the session both hold', async () => {
		const { keep, drop, both } = await twoRecords();
		const preview = await mergePreview(t.db, keep.personId, drop.id, 'en');
		expect(preview).toMatchObject({
			keep: { id: keep.personId, hasAccount: true },
			drop: { id: drop.id, hasAccount: false, birthYear: 1950 },
			moves: { reservations: 2, appointments: 0, certificates: 0, householdLinks: 1, memberships: 1 },
			shared: [{ occurrenceId: both.id, title: '太极拳' }],
			blocked: null
		});
		// Looking changes nothing.
		expect(await t.db.selectFrom('person').select('id').where('id', '=', drop.id).executeTakeFirst()).toBeDefined();
		const other = await createAccount(t.db);
		expect((await mergePreview(t.db, keep.personId, other.personId, 'en'))?.blocked).toBe('both-accounts');
		expect(await mergePreview(t.db, keep.personId, 999_999_999, 'en')).toBeNull();
	});
});

describeOnPostgres('the merge page over HTTP', () => {
	it('searches, previews, wants the confirmation ticked, then merges with a separate POST and an audit entry', async () => {
		server = await startServer({ databaseUrl: t.url!, env: { WORKER_INTERVAL_SECONDS: '0' } });
		const { given, keep, drop, dup } = await twoRecords();
		const admin = await createAccount(t.db, { roles: ['admin'] });
		const resident = await createAccount(t.db);
		const nosy = new Client(server.url);
		expect((await nosy.login(resident.login, resident.password)).status).toBe(303);
		expect((await nosy.get(`/admin/merge?q=${encodeURIComponent('周')}`)).status).toBe(403);
		expect((await nosy.post('/admin/merge?/merge', { keepId: String(keep.personId), dropId: String(drop.id), confirm: 'on' })).status).toBe(
			403
		);

		const client = new Client(server.url);
		expect((await client.login(admin.login, admin.password)).status).toBe(303);
		const q = encodeURIComponent(`周${given}`);
		const found = await (await client.get(`/admin/merge?q=${q}`)).text();
		expect(found).toContain(`周*${given.at(-1)}`);
		expect(found).not.toContain(`周${given}<`);
		expect(found).toContain(`<option value="${drop.id}"`);

		const same = await (await client.get(`/admin/merge?q=${q}&keep=${keep.personId}&drop=${keep.personId}`)).text();
		expect(same).toContain('id="field-drop-error"');

		const preview = await (await client.get(`/admin/merge?q=${q}&keep=${keep.personId}&drop=${drop.id}`)).text();
		expect(preview).toContain('合并预览');
		expect(preview).toContain('太极拳');
		expect(preview).toContain('预约和报名：2 个');

		const unticked = await client.post(`/admin/merge?q=${q}&keep=${keep.personId}&drop=${drop.id}&/merge`, {
			keepId: String(keep.personId),
			dropId: String(drop.id)
		});
		expect(unticked.status).toBe(400);
		expect(await unticked.text()).toContain('id="confirm-error"');
		expect(await t.db.selectFrom('person').select('id').where('id', '=', drop.id).executeTakeFirst()).toBeDefined();

		const merged = await client.post(`/admin/merge?q=${q}&keep=${keep.personId}&drop=${drop.id}&/merge`, {
			keepId: String(keep.personId),
			dropId: String(drop.id),
			confirm: 'on'
		});
		expect(merged.status).toBe(303);
		expect(merged.headers.get('location')).toBe(`/admin/merge?merged=${keep.personId}&cancelled=1`);
		expect(await (await client.get(merged.headers.get('location')!)).text()).toContain('已合并；取消了 1 个重复的预约。');
		expect(await t.db.selectFrom('person').select('id').where('id', '=', drop.id).executeTakeFirst()).toBeUndefined();
		const entry = await t.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'person.merge')
			.where('subject_id', '=', String(keep.personId))
			.executeTakeFirstOrThrow();
		expect(entry).toMatchObject({ actor_account_id: admin.accountId, details: { merged: drop.id, cancelled: [dup.reservationId] } });
	});
});
