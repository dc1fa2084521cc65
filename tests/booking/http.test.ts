/** The booking pages over HTTP: nobody reaches another person's reservation by changing an id. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reserve, cancel } from '../../src/lib/server/booking/reservations';
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
		expect((await t.db.selectFrom('reservation').select('status').where('id', '=', mine.id).executeTakeFirstOrThrow()).status).toBe('reserved');

		// An offer is accepted on its page by POST, and only by its person.
		const queued = await reserve(t.db, { occurrenceId: occ.id, personId: waiting.personId, actor: { accountId: null, personId: waiting.personId } });
		if (!queued.ok) throw new Error('setup');
		expect((await ownerClient.post('/me/reservations?/cancel', { id: String(mine.id) })).status).toBe(200);
		expect((await other.post(`/me/offers/${queued.reservationId}?/accept`, {})).status).toBe(404);
		const waiter = new Client(server.url);
		expect((await waiter.login(waiting.login, waiting.password)).status).toBe(303);
		const page = await waiter.get(`/me/offers/${queued.reservationId}`);
		expect(await page.text()).toContain('有空位了，请确认');
		expect((await t.db.selectFrom('reservation').select('status').where('id', '=', queued.reservationId).executeTakeFirstOrThrow()).status).toBe('offered');
		const accepted = await waiter.post(`/me/offers/${queued.reservationId}?/accept`, {});
		expect(accepted.status).toBe(303);
		expect((await t.db.selectFrom('reservation').select('status').where('id', '=', queued.reservationId).executeTakeFirstOrThrow()).status).toBe('reserved');
		// The list shows it, with a cancel button; the printable slip names the person.
		const list = await (await waiter.get('/me/reservations')).text();
		expect(list).toContain('已预约');
		const slip = await (await waiter.get(`/me/reservations/${queued.reservationId}`)).text();
		expect(slip).toContain('健康东门 · 预约凭条');
		await cancel(t.db, { reservationId: queued.reservationId, actor: { accountId: null, personId: waiting.personId } });
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
