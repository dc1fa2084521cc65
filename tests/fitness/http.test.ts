/** The public fitness timetable over HTTP, on the demo data set. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, onPostgres } from '../helpers/db';
import { addDays, startOfWeek, today } from '../../src/lib/server/clock';
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

	it('may be kept by a shared cache only while nobody is logged in (the page header then names nobody)', async () => {
		const visitor = await new Client(server.url).get('/fitness');
		expect(visitor.headers.get('cache-control')).toBe('public, max-age=30');
		expect(visitor.headers.get('vary')).toMatch(/Cookie/);
		const resident = new Client(server.url);
		expect((await resident.login('13800000001', 'Dongmen-demo-2026')).status).toBe(303);
		for (const path of ['/fitness', '/fitness/spaces/1']) {
			const page = await resident.get(path);
			expect(await page.text()).toContain('王阿姨');
			// Signed in: kept by no cache at all (every page of a signed-in person says no-store).
			expect(page.headers.get('cache-control')).toBe('no-store');
		}
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

describe('a space’s public page', () => {
	it('shows where it is, when it is open and this week’s sessions, without logging in', async () => {
		const client = new Client(server.url);
		const list = await (await client.get('/fitness')).text();
		expect(list).toContain('href="/fitness/spaces/1"');
		const response = await client.get('/fitness/spaces/1');
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('东门社区文化广场');
		expect(html).toContain('开放时间');
		expect(html).toContain('06:30–21:30');
		expect(html).toMatch(/href="\/occurrences\/\d+"/);
		expect((await client.get('/fitness/spaces/999')).status).toBe(404);
		expect((await client.get('/fitness/spaces/abc')).status).toBe(404);
	});
});

describe('staff changing opening hours and single sessions', () => {
	async function staff(): Promise<Client> {
		const client = new Client(server.url);
		expect((await client.login('13800000004', 'Dongmen-demo-2026')).status).toBe(303);
		return client;
	}
	const week = (opens: string, closes: string) =>
		Object.fromEntries(
			[1, 2, 3, 4, 5, 6, 7].flatMap((d) => [
				[`opens${d}`, d === 7 ? '' : opens],
				[`closes${d}`, d === 7 ? '' : closes]
			])
		);

	it('set a space’s opening hours with a message next to a half-filled or backwards day, and the public page follows', async () => {
		const client = await staff();
		const half = await client.post('/staff/fitness/spaces/2?/hours', { ...week('07:00', '20:00'), closes3: '' });
		expect(half.status).toBe(400);
		const halfHtml = await half.text();
		expect(halfHtml).toContain('开门和关门时间要一起填，或者都留空');
		expect(halfHtml).toContain('id="field-closes3-error"');
		const backwards = await client.post('/staff/fitness/spaces/2?/hours', { ...week('07:00', '20:00'), opens5: '21:00' });
		expect(backwards.status).toBe(400);
		expect(await backwards.text()).toContain('id="field-closes5-error"');
		const good = await client.post('/staff/fitness/spaces/2?/hours', week('07:00', '20:00'));
		expect(good.status).toBe(200);
		expect(await good.text()).toContain('开放时间已保存');
		const page = await (await new Client(server.url).get('/fitness/spaces/2')).text();
		expect(page).toContain('07:00–20:00');
		expect(page.replace(/<!--.*?-->/g, '')).toMatch(/周日<\/th><td[^>]*>不开放/);
		expect((await client.post('/staff/fitness/spaces/3?/hours', week('07:00', '20:00'))).status).toBe(404);
	});

	it('move one session of their own spaces only, with the places taken as the floor', async () => {
		const client = await staff();
		const ids = (html: string) => [...html.matchAll(/href="\/occurrences\/(\d+)"/g)].map((m) => m[1]!);
		const nextWeek = addDays(startOfWeek(today()), 7);
		const own = ids(await (await client.get(`/fitness?space=2&week=${nextWeek}`)).text())[0]!;
		const theirs = ids(await (await client.get(`/fitness?space=3&week=${nextWeek}`)).text())[0]!;
		expect((await client.get(`/staff/fitness/sessions/${theirs}`)).status).toBe(404);
		expect(
			(
				await client.post(`/staff/fitness/sessions/${theirs}?/edit`, {
					date: '2030-01-01',
					startTime: '08:00',
					endTime: '09:00',
					capacity: '5'
				})
			).status
		).toBe(404);
		expect((await client.post(`/staff/fitness/sessions/${theirs}?/cancel`, {})).status).toBe(404);
		// Space 3's weekly series belong to 湖贝社区 as well.
		const hubeiSeries = await client.get('/staff/fitness/series/5');
		expect(hubeiSeries.status).toBe(404);
		const seriesChange = { titleZh: '越界', titleEn: 'Out', capacity: '5', startTime: '08:00', endTime: '09:00' };
		expect((await client.post('/staff/fitness/series/5', seriesChange)).status).toBe(404);
		const ownSeries = await client.get('/staff/fitness/series/4');
		expect(ownSeries.status).toBe(200);
		expect(await ownSeries.text()).toContain('修改每周安排');
		const backwardsSeries = await client.post('/staff/fitness/series/4', { ...seriesChange, startTime: '10:00', endTime: '09:00' });
		expect(backwardsSeries.status).toBe(400);
		expect(await backwardsSeries.text()).toContain('id="field-endTime-error"');

		const form = await client.get(`/staff/fitness/sessions/${own}`);
		expect(form.status).toBe(200);
		const html = await form.text();
		const date =
			html.match(/name="date"[^>]*value="(\d{4}-\d{2}-\d{2})"/)?.[1] ?? html.match(/value="(\d{4}-\d{2}-\d{2})"[^>]*name="date"/)?.[1];
		expect(date).toBeTruthy();
		const zero = await client.post(`/staff/fitness/sessions/${own}?/edit`, {
			date: date!,
			startTime: '08:00',
			endTime: '09:00',
			capacity: '0'
		});
		expect(zero.status).toBe(400);
		expect(await zero.text()).toContain('id="field-capacity-error"');
		const backwards = await client.post(`/staff/fitness/sessions/${own}?/edit`, {
			date: date!,
			startTime: '09:00',
			endTime: '08:00',
			capacity: '5'
		});
		expect(backwards.status).toBe(400);
		expect(await backwards.text()).toContain('id="field-endTime-error"');
		const moved = await client.post(`/staff/fitness/sessions/${own}?/edit`, {
			date: date!,
			startTime: '19:00',
			endTime: '20:00',
			capacity: '30'
		});
		expect(moved.status).toBe(200);
		expect(await moved.text()).toContain('已保存');
		const after = await (await client.get(`/staff/fitness/sessions/${own}`)).text();
		expect(after).toMatch(/name="startTime"[^>]*value="19:00"|value="19:00"[^>]*name="startTime"/);
	});

	// Found by the fuzzed forms: the space page routed a refusal to its form by a fixed list of field
	// names, so a refused field missing from it (the directions, a facility) was marked nowhere, and
	// a tampered session id was refused with no word at all.
	it('mark every refused field of a space, and say so when a hidden id is not one', async () => {
		const client = await staff();
		const page = await (await client.get('/staff/fitness/spaces/2')).text();
		const form = Object.fromEntries(
			['communityId', 'nameZh', 'nameEn', 'addressZh', 'addressEn', 'capacity'].map((name) => {
				const select = new RegExp(`name="${name}"[\\s\\S]*?<option value="(\\d+)"[^>]*selected`).exec(page);
				const input = new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(page);
				return [name, (name === 'communityId' ? select?.[1] : input?.[1]) ?? ''];
			})
		);
		const refused = await client.post('/staff/fitness/spaces/2?/update', { ...form, directionsZh: '路'.repeat(301) });
		expect(refused.status).toBe(400);
		const html = await refused.text();
		expect(html).toContain('id="field-directionsZh-error">最多 300 个字符');
		expect(html).toMatch(/name="directionsZh"[^>]*aria-describedby="[^"]*field-directionsZh-error/);

		// A checkbox sent twice says so next to the box.
		const twice = new URLSearchParams({ ...form, stepFree: '1' });
		twice.append('stepFree', '1');
		const box = await (await client.post('/staff/fitness/spaces/2?/update', twice)).text();
		expect(box).toContain('id="field-stepFree-error">格式不正确');
		expect(box).toMatch(/name="stepFree"[^>]*aria-describedby="field-stepFree-error"/);

		const stale = await client.post('/staff/fitness/spaces/2?/cancelSession', { occurrenceId: '1 OR 1=1' });
		expect(stale.status).toBe(400);
		expect(await stale.text()).toContain('role="alert" tabindex="-1">无法处理这次提交，请刷新页面后重试');
	});
});
