import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import {
	createPerson,
	currentCommunity,
	openAccountFor,
	personForStaff,
	searchPeople,
	updatePerson
} from '../../src/lib/server/people/people';
import { updateOwnProfile } from '../../src/lib/server/people/profile';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity, createPerson as makePerson } from '../helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());

const details = (communityId: number) => ({
	familyName: '黄',
	givenName: '大爷',
	displayName: '黄大爷',
	phone: null,
	email: null,
	birthYear: 1948,
	communityId
});

describe('staff limited to one community', () => {
	it('create and edit people of that community only', async () => {
		const mine = await createCommunity(t.db);
		const theirs = await createCommunity(t.db);
		const staff = await createAccount(t.db, { roles: [{ role: 'staff', communityId: mine.id }] });
		const actor = { accountId: staff.accountId, roles: [{ role: 'staff' as const, communityId: mine.id }] };

		expect(await createPerson(t.db, actor, details(theirs.id))).toEqual({ ok: false, reason: 'out-of-scope' });
		const created = await createPerson(t.db, actor, details(mine.id));
		expect(created.ok).toBe(true);

		const other = await makePerson(t.db, { communityId: theirs.id, familyName: '林', givenName: '外社区' });
		expect(await updatePerson(t.db, actor, other.id, details(theirs.id))).toEqual({ ok: false, reason: 'out-of-scope' });
		// Nor may they move someone of theirs into another community, or pull someone in.
		if (created.ok)
			expect(await updatePerson(t.db, actor, created.personId, details(theirs.id))).toEqual({ ok: false, reason: 'out-of-scope' });
		expect(await updatePerson(t.db, actor, other.id, details(mine.id))).toEqual({ ok: false, reason: 'out-of-scope' });
		const unchanged = await t.db
			.selectFrom('person')
			.select(['family_name', 'given_name'])
			.where('id', '=', other.id)
			.executeTakeFirstOrThrow();
		expect(unchanged).toEqual({ family_name: '林', given_name: '外社区' });

		expect(await personForStaff(t.db, actor, other.id)).toBeNull();
		expect(await openAccountFor(t.db, actor, other.id)).toEqual({ ok: false, reason: 'out-of-scope' });
		expect((await searchPeople(t.db, actor, '外社区')).map((p) => p.id)).toEqual([]);
		expect((await searchPeople(t.db, actor, '黄')).map((p) => p.communityId)).toEqual([mine.id]);
	});

	it('and staff of every community see both', async () => {
		const a = await createCommunity(t.db);
		const b = await createCommunity(t.db);
		const actor = {
			accountId: (await createAccount(t.db, { roles: ['staff'] })).accountId,
			roles: [{ role: 'staff' as const, communityId: null }]
		};
		const pa = await makePerson(t.db, { communityId: a.id, familyName: '司徒', givenName: '甲' });
		const pb = await makePerson(t.db, { communityId: b.id, familyName: '司徒', givenName: '乙' });
		const found = (await searchPeople(t.db, actor, '司徒')).map((p) => p.id);
		expect(found).toEqual(expect.arrayContaining([pa.id, pb.id]));
	});
});

describe('a walk-in account', () => {
	it('needs a log-in, and a phone already used by another account is refused', async () => {
		const c = await createCommunity(t.db);
		const actor = {
			accountId: (await createAccount(t.db, { roles: ['staff'] })).accountId,
			roles: [{ role: 'staff' as const, communityId: null }]
		};
		const noPhone = await createPerson(t.db, actor, details(c.id));
		if (!noPhone.ok) throw new Error('setup');
		expect(await openAccountFor(t.db, actor, noPhone.personId)).toEqual({ ok: false, reason: 'no-login' });
		const parent = await createAccount(t.db, { communityId: c.id });
		const pupil = await makePerson(t.db, { communityId: c.id, phone: parent.login });
		expect(await openAccountFor(t.db, actor, pupil.id)).toEqual({ ok: false, reason: 'login-taken' });
		const fine = await makePerson(t.db, { communityId: c.id });
		const opened = await openAccountFor(t.db, actor, fine.id);
		expect(opened.ok).toBe(true);
		const account = await t.db
			.selectFrom('account')
			.select(['password_hash', 'login_phone'])
			.where('person_id', '=', fine.id)
			.executeTakeFirstOrThrow();
		expect(account).toEqual({ password_hash: null, login_phone: fine.phone });
		expect(await openAccountFor(t.db, actor, fine.id)).toEqual({ ok: false, reason: 'has-account' });
	});
});

describe('moving community', () => {
	it('keeps the history: the old membership ends the day the new one starts', async () => {
		const a = await createCommunity(t.db);
		const b = await createCommunity(t.db);
		const me = await createAccount(t.db, { communityId: a.id, memberFrom: '2025-01-01' });
		setClock(fixedClock('2026-12-10T03:00:00Z'));
		try {
			const input = {
				familyName: '张',
				givenName: '搬家',
				displayName: null,
				phone: me.login,
				email: null,
				birthYear: 1960,
				communityId: b.id
			};
			expect(await updateOwnProfile(t.db, me.accountId, input)).toEqual({ ok: true });
			// A second change the same day corrects the day's move instead of making a one-day membership.
			expect(await updateOwnProfile(t.db, me.accountId, { ...input, communityId: a.id })).toEqual({ ok: true });
			expect(await updateOwnProfile(t.db, me.accountId, input)).toEqual({ ok: true });
		} finally {
			resetClock();
		}
		const history = await t.db
			.selectFrom('community_membership')
			.select(['community_id', 'valid_from', 'valid_to'])
			.where('person_id', '=', me.personId)
			.orderBy('valid_from')
			.execute();
		expect(history).toEqual([
			{ community_id: a.id, valid_from: '2025-01-01', valid_to: '2026-12-10' },
			{ community_id: b.id, valid_from: '2026-12-10', valid_to: null }
		]);
		expect(await currentCommunity(t.db, me.personId)).toBe(b.id);
	});

	it('refuses a phone that another account logs in with, changing nothing', async () => {
		const c = await createCommunity(t.db);
		const me = await createAccount(t.db, { communityId: c.id, familyName: '原' });
		const other = await createAccount(t.db, { communityId: c.id });
		const input = {
			familyName: '新',
			givenName: '名',
			displayName: null,
			phone: other.login,
			email: null,
			birthYear: null,
			communityId: c.id
		};
		expect(await updateOwnProfile(t.db, me.accountId, input)).toEqual({ ok: false, reason: 'login-taken' });
		const person = await t.db.selectFrom('person').select('family_name').where('id', '=', me.personId).executeTakeFirstOrThrow();
		expect(person.family_name).toBe('原');
	});
});

describe('searching people', () => {
	it('matches names by any part and phones by their start, never every phone for a name', async () => {
		const c = await createCommunity(t.db);
		const actor = {
			accountId: (await createAccount(t.db, { roles: ['staff'] })).accountId,
			roles: [{ role: 'staff' as const, communityId: c.id }]
		};
		const wang = await makePerson(t.db, { communityId: c.id, familyName: '王', givenName: '秀英', phone: '13700001111' });
		const li = await makePerson(t.db, { communityId: c.id, familyName: '李', givenName: '建国', phone: '13700002222' });
		expect((await searchPeople(t.db, actor, '秀英')).map((p) => p.id)).toEqual([wang.id]);
		expect((await searchPeople(t.db, actor, '王秀')).map((p) => p.id)).toEqual([wang.id]);
		expect((await searchPeople(t.db, actor, '137 0000 2')).map((p) => p.id)).toEqual([li.id]);
		expect(await searchPeople(t.db, actor, '不存在的人')).toEqual([]);
		expect(await searchPeople(t.db, actor, '%')).toEqual([]);
	});
});
