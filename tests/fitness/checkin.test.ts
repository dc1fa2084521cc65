/** The QR poster check-in, over HTTP on PostgreSQL (the test writes its fixtures beside the server). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reserve } from '../../src/lib/server/booking/reservations';
import { createSpace } from '../../src/lib/server/fitness/spaces';
import { describeOnPostgres } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity } from '../helpers/factories';
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

describeOnPostgres('checking in with the poster at the space', () => {
	it('checks the resident in to their session on now, by POST only, and nobody else’s', async () => {
		server = await startServer({ databaseUrl: t.url!, env: { WORKER_INTERVAL_SECONDS: '0' } });
		const community = await createCommunity(t.db);
		const everywhere = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };
		const made = await createSpace(t.db, everywhere, {
			communityId: community.id,
			nameZh: '签到广场',
			nameEn: 'Check-in square',
			addressZh: '某路 1 号',
			addressEn: '1 Some Road',
			directionsZh: null,
			directionsEn: null,
			contact: null,
			stepFree: true,
			capacity: 20,
			facilitiesZh: null,
			facilitiesEn: null
		});
		if (!made.ok) throw new Error('setup');
		const startsAt = new Date(Date.now() + 20 * 60_000);
		const occ = await t.db
			.insertInto('occurrence')
			.values({
				programme: 'fitness',
				community_id: community.id,
				title_zh: '晨练',
				title_en: 'Morning exercise',
				starts_at: startsAt,
				ends_at: new Date(startsAt.getTime() + 60 * 60_000),
				capacity: 10,
				created_at: new Date()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await t.db.insertInto('fitness_session').values({ occurrence_id: occ.id, space_id: made.spaceId, series_id: null }).execute();
		const resident = await createAccount(t.db, { communityId: community.id });
		const other = await createAccount(t.db, { communityId: community.id });
		const mine = await reserve(t.db, {
			occurrenceId: occ.id,
			personId: resident.personId,
			actor: { accountId: null, personId: resident.personId }
		});
		const theirs = await reserve(t.db, {
			occurrenceId: occ.id,
			personId: other.personId,
			actor: { accountId: null, personId: other.personId }
		});
		if (!mine.ok || !theirs.ok) throw new Error('setup');

		const staff = await createAccount(t.db, { roles: [{ role: 'staff', communityId: community.id }] });
		const staffClient = new Client(server.url);
		await staffClient.login(staff.login, staff.password);
		const poster = await (await staffClient.get(`/staff/fitness/spaces/${made.spaceId}/poster`)).text();
		const path = new URL(/(https?:\/\/[^<\s"]+\/fitness\/checkin\/[a-z2-7]{32})/.exec(poster)![1]!).pathname;

		const visitor = new Client(server.url);
		const anonymous = await visitor.get(path);
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);

		const client = new Client(server.url);
		await client.login(resident.login, resident.password);
		const page = await (await client.get(path)).text();
		expect(page).toContain('签到广场 · 签到');
		expect(page).toContain('晨练');
		const status = (id: number) => t.db.selectFrom('reservation').select('status').where('id', '=', id).executeTakeFirstOrThrow();
		expect((await status(mine.reservationId)).status).toBe('reserved');

		expect((await client.post(path, { reservationId: String(theirs.reservationId) })).status).toBe(409);
		expect((await status(theirs.reservationId)).status).toBe('reserved');
		const done = await client.post(path, { reservationId: String(mine.reservationId) });
		expect(done.status).toBe(200);
		expect(await done.text()).toContain('签到成功');
		expect((await status(mine.reservationId)).status).toBe('attended');

		expect((await client.get('/fitness/checkin/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
		expect((await new Client(server.url).get(`/staff/fitness/spaces/${made.spaceId}/poster`)).status).toBe(303);
	});

	it('lets staff admit a resident at the door while a place is free, checked in at once', async () => {
		const community = await createCommunity(t.db);
		const elsewhere = await createCommunity(t.db);
		const startsAt = new Date(Date.now() - 10 * 60_000); // already under way
		const occ = await t.db
			.insertInto('occurrence')
			.values({
				programme: 'fitness',
				community_id: community.id,
				title_zh: '太极',
				title_en: 'Tai chi',
				starts_at: startsAt,
				ends_at: new Date(startsAt.getTime() + 60 * 60_000),
				capacity: 1,
				created_at: new Date()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const staff = await createAccount(t.db, { roles: [{ role: 'staff', communityId: community.id }] });
		const walker = await createAccount(t.db, { communityId: community.id });
		const second = await createAccount(t.db, { communityId: community.id });
		const stranger = await createAccount(t.db, { communityId: elsewhere.id });
		const client = new Client(server!.url);
		await client.login(staff.login, staff.password);
		const roster = `/staff/occurrences/${occ.id}`;

		const unknown = await client.post(`${roster}?/admit`, { phone: stranger.login });
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toContain('您负责的社区里没有用这个手机号的居民');
		const admitted = await client.post(`${roster}?/admit`, { phone: walker.login });
		expect(admitted.status).toBe(200);
		const row = await t.db
			.selectFrom('reservation')
			.select(['status', 'checked_in_at'])
			.where('person_id', '=', walker.personId)
			.executeTakeFirstOrThrow();
		expect(row.status).toBe('attended');
		expect(row.checked_in_at).toBeInstanceOf(Date);
		const full = await client.post(`${roster}?/admit`, { phone: second.login });
		expect(full.status).toBe(409);
		expect(await full.text()).toContain('名额已满');
		expect(await t.db.selectFrom('reservation').select('id').where('person_id', '=', second.personId).execute()).toEqual([]);
	});

	it('does not admit nor check in at the door days before the session, and the roster does not offer it', async () => {
		const community = await createCommunity(t.db);
		const startsAt = new Date(Date.now() + 3 * 24 * 60 * 60_000);
		const occ = await t.db
			.insertInto('occurrence')
			.values({
				programme: 'fitness',
				community_id: community.id,
				title_zh: '八段锦',
				title_en: 'Baduanjin',
				starts_at: startsAt,
				ends_at: new Date(startsAt.getTime() + 60 * 60_000),
				capacity: 5,
				created_at: new Date()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const staff = await createAccount(t.db, { roles: [{ role: 'staff', communityId: community.id }] });
		const walker = await createAccount(t.db, { communityId: community.id });
		const client = new Client(server!.url);
		await client.login(staff.login, staff.password);
		const roster = `/staff/occurrences/${occ.id}`;

		const page = await (await client.get(roster)).text();
		expect(page).toContain('现场登记和签到在签到时间内开放：开始前 1 小时到结束');
		expect(page).not.toContain('?/admit');
		const early = await client.post(`${roster}?/admit`, { phone: walker.login });
		expect(early.status).toBe(409);
		expect(await early.text()).toContain('现在不在签到时间内');
		expect(await t.db.selectFrom('reservation').select('id').where('person_id', '=', walker.personId).execute()).toEqual([]);
	});
});
