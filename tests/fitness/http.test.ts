/** The public fitness timetable over HTTP, on the demo data set. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, onPostgres } from '../helpers/db';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

let server: ServerProcess;
beforeAll(async () => {
	const env = { DEMO: '1', WORKER_INTERVAL_SECONDS: '0' };
	server = onPostgres() ? await startServer({ databaseUrl: (await createPostgresDatabase()).url, env }) : await startServer({ env });
});
afterAll(() => server?.stop());

describe('the public timetable', () => {
	it('shows this week’s demo sessions to a visitor, with places left and a way to book', async () => {
		const html = await (await new Client(server.url).get('/fitness')).text();
		expect(html).toContain('社区健身场地课表');
		expect(html).toContain('二十四式太极拳');
		expect(html).toMatch(/剩余 \d+ 个名额/);
		expect(html).toMatch(/href="\/occurrences\/\d+"/);
	});

	it('filters by community and moves by week, and ignores nonsense parameters', async () => {
		const client = new Client(server.url);
		const hubei = await (await client.get('/fitness?community=3')).text();
		expect(hubei).toContain('湖贝社区活动室');
		expect(hubei).not.toContain('二十四式太极拳');
		const far = await (await client.get('/fitness?week=2031-01-06')).text();
		expect(far).toContain('这一周没有安排');
		const odd = await client.get('/fitness?week=not-a-date&community=abc&space=-1');
		expect(odd.status).toBe(200);
	});

	it('is in English for a visitor who chose English', async () => {
		const client = new Client(server.url);
		client.cookies.set('hd_lang', 'en');
		const html = await (await client.get('/fitness')).text();
		expect(html).toContain('Fitness space timetable');
		expect(html).toContain('Tai chi, 24 forms');
	});
});

describe('staff managing fitness spaces', () => {
	// The demo staff member works for 东门社区 (spaces 1 and 2); space 3 belongs to 湖贝社区.
	async function staff(): Promise<Client> {
		const client = new Client(server.url);
		expect((await client.login('13800000004', 'Dongmen-demo-2026')).status).toBe(303);
		return client;
	}

	it('see and change only the spaces of their community', async () => {
		const client = await staff();
		const list = await (await client.get('/staff/fitness')).text();
		expect(list).toContain('东门社区文化广场');
		expect(list).not.toContain('湖贝社区活动室');
		expect((await client.get('/staff/fitness/spaces/3')).status).toBe(404);
		const series = {
			kind: 'group',
			titleZh: '越界',
			titleEn: 'Out of bounds',
			capacity: '10',
			weekday: '1',
			startTime: '10:00',
			endTime: '11:00',
			validFrom: '2030-01-01',
			validTo: '2030-01-31'
		};
		expect((await client.post('/staff/fitness/spaces/3?/createSeries', series)).status).toBe(404);
		const close = {
			fromDate: '2030-01-01',
			fromTime: '00:00',
			toDate: '2030-01-02',
			toTime: '00:00',
			reasonZh: '越界',
			reasonEn: 'out of bounds'
		};
		expect((await client.post('/staff/fitness/spaces/3?/close', close)).status).toBe(404);
		const created = await client.post('/staff/fitness?/createSpace', {
			communityId: '3',
			nameZh: '越界场地',
			nameEn: 'Out of bounds',
			addressZh: '某处',
			addressEn: 'Somewhere',
			capacity: '10'
		});
		expect(created.status).toBe(403);
	});

	it('add a weekly session to their space, with clear messages for bad times', async () => {
		const client = await staff();
		const bad = await client.post('/staff/fitness/spaces/2?/createSeries', {
			kind: 'group',
			titleZh: '早操',
			titleEn: 'Morning exercises',
			capacity: '0',
			weekday: '8',
			startTime: '25:00',
			endTime: '07:00',
			validFrom: '2030-02-30',
			validTo: ''
		});
		expect(bad.status).toBe(400);
		const html = await bad.text();
		for (const message of ['请输入 1 到 1000 之间的整数', '请按“时:分”填写', '请按“年-月-日”填写', '请选择一项'])
			expect(html).toContain(message);

		const good = await client.post('/staff/fitness/spaces/2?/createSeries', {
			kind: 'group',
			titleZh: '早操',
			titleEn: 'Morning exercises',
			capacity: '10',
			weekday: '2',
			startTime: '07:00',
			endTime: '07:45',
			validFrom: '2030-01-01',
			validTo: '2030-01-31'
		});
		expect(good.status).toBe(200);
		expect(await good.text()).toContain('已生成 5 个场次');
	});
});
