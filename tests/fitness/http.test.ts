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
