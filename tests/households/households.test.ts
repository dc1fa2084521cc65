/** Households: members with recorded consent, booking for them under their own rules, and nobody else. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '../../src/lib/server/booking/reservations';
import { calendarItems } from '../../src/lib/server/calendar/feed';
import { registerModules } from '../../src/lib/server/modules';
import { addMember, answerRequest, endLink, mayActFor, membersOf, requestLink } from '../../src/lib/server/households/households';
import { describeOnPostgres } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createOccurrence } from '../helpers/factories';
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
const parent = { familyName: '李', givenName: '秀英', displayName: '李阿姨', birthYear: 1948, phone: null };

async function carerWithParent() {
	const carer = await createAccount(t.db);
	const actor = { accountId: carer.accountId, personId: carer.personId };
	const memberId = await addMember(t.db, actor, parent);
	return { carer, actor, memberId };
}

describe('a household', () => {
	it('records who agreed and when for a member without an account, and keeps an ended link as history', async () => {
		const { carer, actor, memberId } = await carerWithParent();
		const link = await t.db.selectFrom('household_link').selectAll().where('member_person_id', '=', memberId).executeTakeFirstOrThrow();
		expect(link).toMatchObject({ status: 'active', consent_by_person_id: memberId, consent_recorded_by: carer.accountId });
		expect(link.consent_at).toBeInstanceOf(Date);
		expect(await mayActFor(t.db, carer.personId, memberId)).toBe(true);
		expect(await t.db.selectFrom('account').select('id').where('person_id', '=', memberId).executeTakeFirst()).toBeUndefined();

		expect(await endLink(t.db, actor, link.id)).toBe(true);
		expect(await mayActFor(t.db, carer.personId, memberId)).toBe(false);
		const ended = await t.db.selectFrom('household_link').selectAll().where('id', '=', link.id).executeTakeFirstOrThrow();
		expect(ended.valid_to).toBeInstanceOf(Date);
		expect(ended.consent_at).toEqual(link.consent_at);
	});

	it('links an existing account only when that account accepts', async () => {
		const carer = await createAccount(t.db);
		const other = await createAccount(t.db);
		await requestLink(t.db, { accountId: carer.accountId, personId: carer.personId }, { phone: other.person.phone, email: null });
		expect(await mayActFor(t.db, carer.personId, other.personId)).toBe(false);
		const request = await t.db
			.selectFrom('household_link')
			.select('id')
			.where('member_person_id', '=', other.personId)
			.executeTakeFirstOrThrow();
		// The carer cannot accept their own request.
		expect(await answerRequest(t.db, { accountId: carer.accountId, personId: carer.personId }, request.id, true)).toBe(false);
		expect(await answerRequest(t.db, { accountId: other.accountId, personId: other.personId }, request.id, true)).toBe(true);
		expect(await mayActFor(t.db, carer.personId, other.personId)).toBe(true);
		const members = await membersOf(t.db, carer.personId);
		expect(members.map((m) => [m.personId, m.consentBySelf])).toEqual([[other.personId, true]]);
		const notice = await t.db.selectFrom('notification').select('kind').where('person_id', '=', other.personId).execute();
		expect(notice.map((n) => n.kind)).toContain('household_request');
	});

	it("applies the member's limit, not the carer's, and tells both", async () => {
		const { carer, actor, memberId } = await carerWithParent();
		const max = (await t.db.selectFrom('programme').select('max_upcoming').where('code', '=', 'fitness').executeTakeFirstOrThrow())
			.max_upcoming;
		// The carer is at their own limit; booking for the member still works.
		for (let i = 0; i < max; i++) {
			const occ = await createOccurrence(t.db, { startsAt: new Date(Date.now() + (2 + i) * DAY) });
			const own = await reserve(t.db, { occurrenceId: occ.id, personId: carer.personId, actor });
			expect(own.ok).toBe(true);
		}
		const forParent = [];
		for (let i = 0; i < max; i++) {
			const occ = await createOccurrence(t.db, { startsAt: new Date(Date.now() + (2 + i) * DAY) });
			forParent.push(await reserve(t.db, { occurrenceId: occ.id, personId: memberId, actor }));
		}
		expect(forParent.every((r) => r.ok)).toBe(true);
		const one = await createOccurrence(t.db, { startsAt: new Date(Date.now() + 9 * DAY) });
		expect(await reserve(t.db, { occurrenceId: one.id, personId: memberId, actor })).toEqual({ ok: false, reason: 'limit' });

		const booked = await t.db.selectFrom('reservation').select(['person_id', 'booked_by']).where('person_id', '=', memberId).execute();
		expect(booked).toHaveLength(max);
		expect(booked.every((b) => b.booked_by === carer.accountId)).toBe(true);
		const carerCopies = await t.db
			.selectFrom('notification')
			.select('params')
			.where('person_id', '=', carer.personId)
			.where('kind', '=', 'booking_reserved')
			.execute();
		expect(carerCopies.filter((n) => (n.params as { for_person?: number }).for_person === memberId)).toHaveLength(max);
		const memberNotices = await t.db.selectFrom('notification').select('id').where('person_id', '=', memberId).execute();
		expect(memberNotices).toHaveLength(max);
	});

	it("applies the member's overlap rule, not the carer's", async () => {
		const { carer, actor, memberId } = await carerWithParent();
		const at = new Date(Date.now() + 3 * DAY);
		const a = await createOccurrence(t.db, { startsAt: at });
		const b = await createOccurrence(t.db, { startsAt: at });
		expect((await reserve(t.db, { occurrenceId: a.id, personId: carer.personId, actor })).ok).toBe(true);
		expect((await reserve(t.db, { occurrenceId: b.id, personId: memberId, actor })).ok).toBe(true);
		const c = await createOccurrence(t.db, { startsAt: at });
		expect(await reserve(t.db, { occurrenceId: c.id, personId: memberId, actor })).toEqual({ ok: false, reason: 'overlap' });
	});

	it("puts a member's bookings in the carer's calendar, titled with whom they are for", async () => {
		const { carer, actor, memberId } = await carerWithParent();
		const occ = await createOccurrence(t.db, { startsAt: new Date(Date.now() + 5 * DAY), title: '太极拳晨练' });
		const booked = await reserve(t.db, { occurrenceId: occ.id, personId: memberId, actor });
		if (!booked.ok) throw new Error('setup');
		registerModules();
		const items = await calendarItems(t.db, carer.personId, 'zh-CN');
		expect(items.find((i) => i.uid === `reservation-${booked.reservationId}`)?.title).toBe('为 李阿姨 预约: 太极拳晨练');
		const own = await calendarItems(t.db, memberId, 'en');
		expect(own.find((i) => i.uid === `reservation-${booked.reservationId}`)?.title).toBe('太极拳晨练');
		// The home page asks only for what has not ended yet: the booking until it ends, then no more.
		const uids = async (after: Date) => (await calendarItems(t.db, carer.personId, 'zh-CN', after)).map((i) => i.uid);
		expect(await uids(new Date(Date.now() + 4 * DAY))).toContain(`reservation-${booked.reservationId}`);
		expect(await uids(new Date(Date.now() + 6 * DAY))).not.toContain(`reservation-${booked.reservationId}`);
		expect(await uids(new Date(Date.now() + 6 * DAY))).toEqual([]);
	});
});

describeOnPostgres('booking for a member over HTTP', () => {
	it('books for a member, lists it under both, and refuses anyone outside the household', async () => {
		server = await startServer({ databaseUrl: t.url!, env: { WORKER_INTERVAL_SECONDS: '0' } });
		const { carer, actor, memberId } = await carerWithParent();
		const stranger = await createAccount(t.db, { familyName: '外', givenName: '人' });
		const occ = await createOccurrence(t.db, { startsAt: new Date(Date.now() + 2 * DAY), title: '八段锦' });
		const client = new Client(server.url);
		expect((await client.login(carer.login, carer.password)).status).toBe(303);

		const form = await (await client.get(`/occurrences/${occ.id}`)).text();
		expect(form).toContain('李阿姨');
		// Another person's id typed into the form: refused, nothing written.
		expect((await client.post(`/occurrences/${occ.id}?/reserve`, { for: String(stranger.personId) })).status).toBe(403);
		expect((await client.post(`/occurrences/${occ.id}?/reserve`, { for: 'x' })).status).toBe(403);
		expect(await t.db.selectFrom('reservation').select('id').where('occurrence_id', '=', occ.id).execute()).toEqual([]);

		expect((await client.post(`/occurrences/${occ.id}?/reserve`, { for: String(memberId) })).status).toBe(200);
		const r = await t.db
			.selectFrom('reservation')
			.select(['id', 'person_id'])
			.where('occurrence_id', '=', occ.id)
			.executeTakeFirstOrThrow();
		expect(r.person_id).toBe(memberId);
		const list = await (await client.get('/me/reservations')).text();
		expect(list).toContain('为 李阿姨 预约');
		expect(await (await client.get(`/me/household/${memberId}`)).text()).toContain('八段锦');
		expect((await client.get(`/me/reservations/${r.id}`)).status).toBe(200);

		// The stranger sees nothing of it and cannot cancel it; the carer can.
		const other = new Client(server.url);
		expect((await other.login(stranger.login, stranger.password)).status).toBe(303);
		expect((await other.get(`/me/household/${memberId}`)).status).toBe(404);
		expect((await other.get(`/me/reservations/${r.id}`)).status).toBe(404);
		expect((await other.post('/me/reservations?/cancel', { id: String(r.id) })).status).toBe(404);
		expect((await client.post('/me/reservations?/cancel', { id: String(r.id) })).status).toBe(200);
		expect((await t.db.selectFrom('reservation').select('status').where('id', '=', r.id).executeTakeFirstOrThrow()).status).toBe(
			'cancelled'
		);

		// After the link ends, the carer can no longer book for them.
		const link = await t.db.selectFrom('household_link').select('id').where('member_person_id', '=', memberId).executeTakeFirstOrThrow();
		await endLink(t.db, actor, link.id);
		expect((await client.post(`/occurrences/${occ.id}?/reserve`, { for: String(memberId) })).status).toBe(403);
	});
});
