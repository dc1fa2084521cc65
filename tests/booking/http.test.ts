/** The booking pages over HTTP: nobody reaches another person's reservation by changing an id. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reserve, cancel } from '../../src/lib/server/booking/reservations';
import { describeOnPostgres } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity, createOccurrence } from '../helpers/factories';
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

describeOnPostgres('reservations over HTTP', () => {
	it('book, show and cancel only for their own person', async () => {
		server = await startServer({ databaseUrl: t.url!, env: { WORKER_INTERVAL_SECONDS: '0' } });
		const occ = await createOccurrence(t.db, { capacity: 1, startsAt: new Date(Date.now() + 2 * 24 * 60 * 60_000) });
		const owner = await createAccount(t.db);
		const intruder = await createAccount(t.db);
		const waiting = await createAccount(t.db);

		const ownerClient = new Client(server.url);
		expect((await ownerClient.login(owner.login, owner.password)).status).toBe(303);
		const booked = await ownerClient.post(`/occurrences/${occ.id}?/reserve`, {});
		expect(booked.status).toBe(200);
		expect(await booked.text()).toContain('预约成功');
		const mine = await t.db.selectFrom('reservation').select('id').where('person_id', '=', owner.personId).executeTakeFirstOrThrow();

		const other = new Client(server.url);
		expect((await other.login(intruder.login, intruder.password)).status).toBe(303);
		expect((await other.get(`/me/reservations/${mine.id}`)).status).toBe(404);
		expect((await other.post('/me/reservations?/cancel', { id: String(mine.id) })).status).toBe(404);
		expect((await other.get(`/me/offers/${mine.id}`)).status).toBe(404);
		expect((await other.post(`/me/offers/${mine.id}?/accept`, {})).status).toBe(404);
		expect((await t.db.selectFrom('reservation').select('status').where('id', '=', mine.id).executeTakeFirstOrThrow()).status).toBe(
			'reserved'
		);

		// An offer is accepted on its page by POST, and only by its person.
		const queued = await reserve(t.db, {
			occurrenceId: occ.id,
			personId: waiting.personId,
			actor: { accountId: null, personId: waiting.personId }
		});
		if (!queued.ok) throw new Error('setup');
		expect((await ownerClient.post('/me/reservations?/cancel', { id: String(mine.id) })).status).toBe(200);
		expect((await other.post(`/me/offers/${queued.reservationId}?/accept`, {})).status).toBe(404);
		const waiter = new Client(server.url);
		expect((await waiter.login(waiting.login, waiting.password)).status).toBe(303);
		const page = await waiter.get(`/me/offers/${queued.reservationId}`);
		expect(await page.text()).toContain('有空位了，请确认');
		expect(
			(await t.db.selectFrom('reservation').select('status').where('id', '=', queued.reservationId).executeTakeFirstOrThrow()).status
		).toBe('offered');
		const accepted = await waiter.post(`/me/offers/${queued.reservationId}?/accept`, {});
		expect(accepted.status).toBe(303);
		expect(
			(await t.db.selectFrom('reservation').select('status').where('id', '=', queued.reservationId).executeTakeFirstOrThrow()).status
		).toBe('reserved');
		// The list shows it, with a cancel button; the printable slip names the person.
		const list = await (await waiter.get('/me/reservations')).text();
		expect(list).toContain('已预约');
		const slip = await (await waiter.get(`/me/reservations/${queued.reservationId}`)).text();
		expect(slip).toContain('健康东门 · 预约凭条');
		await cancel(t.db, { reservationId: queued.reservationId, actor: { accountId: null, personId: waiting.personId } });
	});

	it('let staff check people in and undo on the roster of their own community only', async () => {
		const mine = await createCommunity(t.db);
		const theirs = await createCommunity(t.db);
		const staff = await createAccount(t.db, { roles: [{ role: 'staff', communityId: mine.id }] });
		const soon = new Date(Date.now() + 30 * 60_000);
		const here = await createOccurrence(t.db, { capacity: 5, startsAt: soon, communityId: mine.id });
		const there = await createOccurrence(t.db, { capacity: 5, startsAt: soon, communityId: theirs.id });
		const resident = await createAccount(t.db, { communityId: mine.id, familyName: '签', givenName: '到' });
		const booked = await reserve(t.db, {
			occurrenceId: here.id,
			personId: resident.personId,
			actor: { accountId: null, personId: resident.personId }
		});
		const elsewhere = await reserve(t.db, {
			occurrenceId: there.id,
			personId: (await createAccount(t.db)).personId,
			actor: { accountId: null, personId: null }
		});
		if (!booked.ok || !elsewhere.ok) throw new Error('setup');

		const client = new Client(server!.url);
		expect((await client.login(staff.login, staff.password)).status).toBe(303);
		const page = await client.get(`/staff/occurrences/${here.id}`);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('签到');
		expect((await client.get(`/staff/occurrences/${there.id}`)).status).toBe(404);
		// Another community's reservation, through this occurrence's form or its own: not found.
		expect((await client.post(`/staff/occurrences/${here.id}?/checkIn`, { reservationId: String(elsewhere.reservationId) })).status).toBe(
			404
		);
		expect((await client.post(`/staff/occurrences/${there.id}?/checkIn`, { reservationId: String(elsewhere.reservationId) })).status).toBe(
			404
		);

		expect((await client.post(`/staff/occurrences/${here.id}?/checkIn`, { reservationId: String(booked.reservationId) })).status).toBe(200);
		const status = () => t.db.selectFrom('reservation').select('status').where('id', '=', booked.reservationId).executeTakeFirstOrThrow();
		expect((await status()).status).toBe('attended');
		expect((await client.post(`/staff/occurrences/${here.id}?/undo`, { reservationId: String(booked.reservationId) })).status).toBe(200);
		expect((await status()).status).toBe('reserved');
		const audited = await t.db.selectFrom('audit_log').select('action').where('actor_account_id', '=', staff.accountId).execute();
		expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['occurrence.roster_view', 'reservation.undo']));

		const residentClient = new Client(server!.url);
		expect((await residentClient.login(resident.login, resident.password)).status).toBe(303);
		expect((await residentClient.get(`/staff/occurrences/${here.id}`)).status).toBe(403);
		expect(
			(await residentClient.post(`/staff/occurrences/${here.id}?/checkIn`, { reservationId: String(booked.reservationId) })).status
		).toBe(403);
	});

	it('show a session publicly with the places left and never who booked', async () => {
		const occ = await createOccurrence(t.db, { capacity: 3, startsAt: new Date(Date.now() + 2 * 24 * 60 * 60_000), title: '八段锦' });
		const someone = await createAccount(t.db, { familyName: '欧阳', givenName: '秘密' });
		await reserve(t.db, { occurrenceId: occ.id, personId: someone.personId, actor: { accountId: null, personId: someone.personId } });
		const visitor = new Client(server!.url);
		const html = await (await visitor.get(`/occurrences/${occ.id}`)).text();
		expect(html).toContain('八段锦');
		expect(html).toContain('剩余 2 个名额');
		expect(html).toContain('登录后预约');
		expect(html).not.toContain('秘密');
	});
});
