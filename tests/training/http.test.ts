/**
 * First-aid training over HTTP on the demo data set, as a browser without JavaScript: the public
 * list, who may open which roster, group import and its messages, the trainer's attendance and
 * assessment forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/lib/server/auth/session';
import { openPostgres } from '../../src/lib/server/db/connect';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed';
import { describeOnPostgres } from '../helpers/concurrency';
import { createPostgresDatabase, onPostgres } from '../helpers/db';
import { createAccount } from '../helpers/factories';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

let server: ServerProcess;
let databaseUrl: string | null = null;
beforeAll(async () => {
	const env = { DEMO: '1', WORKER_INTERVAL_SECONDS: '0' };
	databaseUrl = onPostgres() ? (await createPostgresDatabase()).url : null;
	server = databaseUrl ? await startServer({ databaseUrl, env }) : await startServer({ env });
});
afterAll(() => server?.stop());

async function as(phone: string): Promise<Client> {
	const client = new Client(server.url);
	expect((await client.login(phone, DEMO_PASSWORD)).status).toBe(303);
	return client;
}
const resident = () => as('13800000001');
const trainer = () => as('13800000002');
const staff = () => as('13800000004'); // 东门社区 only

/** The ids of the links to `prefix/<id>` on a page, in page order. */
async function linkedIds(client: Client, path: string, prefix: string): Promise<number[]> {
	const html = await (await client.get(path)).text();
	return [...html.matchAll(new RegExp(`href="${prefix}/(\\d+)"`, 'g'))].map((m) => Number(m[1]));
}

/** A session of the staff member's that still takes rosters (not started, not cancelled). */
async function importableSession(client: Client): Promise<number> {
	for (const id of await linkedIds(client, '/staff/training', '/staff/training/sessions')) {
		if ((await (await client.get(`/staff/training/sessions/${id}`)).text()).includes('name="roster"')) return id;
	}
	throw new Error('no session takes rosters');
}

function csv(text: string, name = 'roster.csv'): FormData {
	const form = new FormData();
	form.set('roster', new Blob([text], { type: 'text/csv' }), name);
	return form;
}

describe('the public training list', () => {
	it('shows upcoming sessions by course and community with places left, in both languages', async () => {
		const visitor = new Client(server.url);
		const zh = await (await visitor.get('/training')).text();
		expect(zh).toContain('心肺复苏与 AED 使用');
		expect(zh).toContain('基础急救');
		expect(zh).toContain('立新社区');
		expect(zh).toContain('已满，可候补');
		expect(zh).toMatch(/剩余 \d+ 个名额/);
		const filtered = await (await visitor.get('/training?community=2')).text();
		expect(filtered).toContain('立新社区活动中心');
		expect(filtered).not.toContain('东门社区党群服务中心');
		expect((await visitor.get('/training?community=abc&course=-1')).status).toBe(200);
		visitor.cookies.set('hd_lang', 'en');
		const en = await (await visitor.get('/training')).text();
		expect(en).toContain('CPR and AED');
		expect(en).toContain('Full, waiting list open');
		// Nothing Chinese on the English page but the trainer's name.
		const text = en
			.replace(/<script[\s\S]*?<\/script>/g, '')
			.replace(/lang="zh-CN"[^>]*>[^<]*/g, '>') // the language switch and the ICP number are Chinese by design
			.replace(/<[^>]+>/g, ' ')
			.replaceAll('李建国', '');
		expect(text.match(/[\p{Script=Han}\u3000-\u303f\uff00-\uffef]+/gu) ?? []).toEqual([]);
		const home = await (await visitor.get('/')).text();
		expect(home).toContain('Coming first-aid trainings');
	});
});

describe('who may see a roster or change an assessment', () => {
	it('a resident gets 403 at every staff and trainer page and action of a training', async () => {
		const trainerIds = await linkedIds(await trainer(), '/trainer', '/trainer/sessions');
		expect(trainerIds.length).toBeGreaterThan(2);
		const id = trainerIds[0]!;
		const client = await resident();
		for (const path of [
			`/staff/training`,
			`/staff/training/sessions/${id}`,
			`/staff/occurrences/${id}`,
			`/trainer`,
			`/trainer/sessions/${id}`
		])
			expect((await client.get(path)).status, path).toBe(403);
		expect((await client.post(`/trainer/sessions/${id}?/attendance`, { present: '1' })).status).toBe(403);
		expect((await client.post(`/trainer/sessions/${id}/trainees/1`, { 'result-1': 'pass' })).status).toBe(403);
		expect((await client.post(`/staff/training/sessions/${id}?/import`, csv('姓,名\n王,五\n'))).status).toBe(403);
	});

	it('staff limited to 东门社区 see and import into its sessions only', async () => {
		const client = await staff();
		const list = await (await client.get('/staff/training')).text();
		expect(list).toContain('东门社区党群服务中心');
		expect(list).not.toContain('立新社区活动中心');
		const lixin = (await linkedIds(await trainer(), '/trainer', '/trainer/sessions')).filter(
			(id) => !list.includes(`/staff/training/sessions/${id}"`)
		);
		expect(lixin.length).toBeGreaterThan(0);
		for (const id of lixin) {
			expect((await client.get(`/staff/training/sessions/${id}`)).status).toBe(404);
			expect((await client.post(`/staff/training/sessions/${id}?/import`, csv('姓,名\n越,界\n'))).status).toBe(404);
		}
	});
});

describe('staff', () => {
	it('get every bad roster line named, in Chinese or English, and nothing imported', async () => {
		const client = await staff();
		const id = await importableSession(client);
		const bad = '姓,名,手机号\n王,小明,13911110001\n李,华,12345\n王,小明,13911110001\n,芳,\n';
		const response = await client.post(`/staff/training/sessions/${id}?/import`, csv(bad));
		expect(response.status).toBe(400);
		const html = await response.text();
		expect(html).toContain('没有导入任何人');
		expect(html).toContain('第 3 行：手机号格式不正确（12345）');
		expect(html).toContain('第 4 行：与第 2 行重复');
		expect(html).toContain('第 5 行：缺少姓或名');
		client.cookies.set('hd_lang', 'en');
		await client.post('/preferences?/language', { locale: 'en', next: '/' });
		const english = await (await client.post(`/staff/training/sessions/${id}?/import`, csv(bad))).text();
		expect(english).toContain('Line 4: the same as line 2');
		await client.post('/preferences?/language', { locale: 'zh-CN', next: '/' });
	});

	it('cannot send a roster file beyond the upload limit, which the form states', async () => {
		const client = await staff();
		const id = await importableSession(client);
		expect(await (await client.get(`/staff/training/sessions/${id}`)).text()).toMatch(/最大 512 KB/);
		const huge = '姓,名\n' + '王,小明\n'.repeat(60_000);
		const response = await client.post(`/staff/training/sessions/${id}?/import`, csv(huge));
		expect(response.status).toBe(413);
	});

	it('change a session’s places and venue, never below the places already held', async () => {
		const client = await staff();
		const id = await importableSession(client);
		const page = await (await client.get(`/staff/training/sessions/${id}`)).text();
		const trainerId = /name="trainerAccountId"[\s\S]*?<option value="(\d+)" selected/.exec(page)![1]!;
		const change = { venueZh: '东门社区党群服务中心 2 楼', venueEn: 'Dongmen community centre, 2/F', trainerAccountId: trainerId };
		const below = await client.post(`/staff/training/sessions/${id}?/change`, { ...change, capacity: '1' });
		expect(below.status).toBe(409);
		expect(await below.text()).toMatch(/已有 \d+ 人报名，名额不能少于 \d+/);
		const saved = await client.post(`/staff/training/sessions/${id}?/change`, { ...change, capacity: '32' });
		expect(saved.status).toBe(200);
		expect(await saved.text()).toContain('已保存');
		expect(await (await client.get(`/staff/training/sessions/${id}`)).text()).toContain('东门社区 · 东门社区党群服务中心 2 楼');
	});

	it('are told when a roster is larger than the places left, with a way to a dedicated session', async () => {
		const client = await staff();
		const ids = await linkedIds(client, '/staff/training', '/staff/training/sessions');
		const rows = Array.from({ length: 40 }, (_, i) => `班,同学${i}`).join('\n');
		let refused = '';
		for (const id of ids) {
			const response = await client.post(`/staff/training/sessions/${id}?/import`, csv(`姓,名\n${rows}\n`));
			if (response.status === 409) refused = await response.text();
		}
		expect(refused).toMatch(/名单有 40 人，这个场次只剩 \d+ 个名额/);
		expect(refused).toContain('为这个团体新开一个专场（40 个名额）');
		expect(refused).toMatch(/href="\/staff\/training\?courseId=\d+&amp;communityId=\d+&amp;capacity=40/);
	});

	it('see field messages for a bad session form, and create a good one', async () => {
		const client = await staff();
		const bad = await client.post('/staff/training?/createSession', {
			courseId: 'x',
			communityId: '1',
			date: '2030-02-30',
			startTime: '25:00',
			capacity: '0'
		});
		expect(bad.status).toBe(400);
		const html = await bad.text();
		for (const message of ['请选择一项', '请按“年-月-日”填写', '请按“时:分”填写', '请输入 1 到 500 之间的整数', '请填写此项'])
			expect(html).toContain(message);
		const trainerOption = /<option value="(\d+)"[^>]*>李建国<\/option>/.exec(await (await client.get('/staff/training')).text());
		const outside = await client.post('/staff/training?/createSession', {
			courseId: '1',
			communityId: '2',
			date: '2030-03-01',
			startTime: '09:00',
			venueZh: '某处',
			venueEn: 'Somewhere',
			trainerAccountId: trainerOption![1]!,
			capacity: '40'
		});
		expect(outside.status).toBe(403);
		const good = await client.post('/staff/training?/createSession', {
			courseId: '1',
			communityId: '1',
			date: '2030-03-01',
			startTime: '09:00',
			venueZh: '东门小学礼堂',
			venueEn: 'Dongmen Primary School hall',
			trainerAccountId: trainerOption![1]!,
			capacity: '40'
		});
		expect(good.status).toBe(303);
		expect(good.headers.get('location')).toMatch(/^\/staff\/training\/sessions\/\d+\?created=1$/);
	});
});

describe('the trainer', () => {
	it('ticks attendance on yesterday’s session and records results per skill, with messages for a half-filled form', async () => {
		const client = await trainer();
		const ids = await linkedIds(client, '/trainer', '/trainer/sessions');
		// Yesterday's session is the one whose roster has people but no results yet.
		let id = 0;
		let html = '';
		for (const candidate of ids) {
			html = await (await client.get(`/trainer/sessions/${candidate}`)).text();
			if (html.includes('name="present"') && !html.includes('全部通过')) {
				id = candidate;
				break;
			}
		}
		expect(id).toBeGreaterThan(0);
		const reservations = [...html.matchAll(/name="present" value="(\d+)"/g)].map((m) => m[1]!);
		const ticked = new URLSearchParams(reservations.slice(0, 2).map((r) => ['present', r]));
		const saved = await client.post(`/trainer/sessions/${id}?/attendance`, ticked);
		expect(saved.status).toBe(200);
		expect(await saved.text()).toContain('点名已保存');

		const page = await (await client.get(`/trainer/sessions/${id}/trainees/${reservations[0]}`)).text();
		const skills = [...page.matchAll(/name="result-(\d+)" value="pass"/g)].map((m) => m[1]!);
		expect(skills).toHaveLength(5);
		const half = await client.post(`/trainer/sessions/${id}/trainees/${reservations[0]}`, { [`result-${skills[0]}`]: 'pass' });
		expect(half.status).toBe(400);
		expect(await half.text()).toContain('请为每个考核项目选择通过或未通过');
		const all = Object.fromEntries(skills.map((s, i) => [`result-${s}`, i === 2 ? 'fail' : 'pass']));
		// A note too long is marked on its own field, which points at the message (found by the fuzzed forms).
		const long = await client.post(`/trainer/sessions/${id}/trainees/${reservations[0]}`, {
			...all,
			[`note-${skills[1]}`]: '慢'.repeat(301)
		});
		expect(long.status).toBe(400);
		const longPage = await long.text();
		expect(longPage).toContain(`id="note-error-${skills[1]}">最多 300 个字符`);
		expect(longPage).toMatch(new RegExp(`name="note-${skills[1]}"[^>]*aria-describedby="note-error-${skills[1]}"`));
		const done = await client.post(`/trainer/sessions/${id}/trainees/${reservations[0]}`, {
			...all,
			[`note-${skills[2]}`]: '按压频率偏慢'
		});
		expect(done.status).toBe(200);
		expect(await done.text()).toContain('考核结果已保存');
		// Someone not ticked present cannot be assessed.
		const absent = await client.post(`/trainer/sessions/${id}/trainees/${reservations[3]}`, all);
		expect(absent.status).toBe(409);
		expect(await absent.text()).toContain('请先为这位学员点名到场');
		const sheet = await (await client.get(`/trainer/sessions/${id}/sheet`)).text();
		expect(sheet).toContain('签到表');
	});
});

describeOnPostgres('staff of every community', () => {
	it('add a course with its skills and edit it; bad input is marked next to each field', async () => {
		const handle = openPostgres(databaseUrl!, 2);
		try {
			const chief = await createAccount(handle.db, { roles: ['resident', 'staff'] });
			const client = new Client(server.url);
			client.cookies.set('hd_session', (await createSession(handle.db, chief.accountId)).token);
			expect((await client.get('/staff/training/courses/new')).status).toBe(200);
			const bad = await client.post('/staff/training/courses/new', {
				code: 'cpr aed',
				titleZh: '',
				titleEn: 'Refresher',
				descriptionZh: '复训',
				descriptionEn: 'Refresher',
				durationMinutes: '5',
				validityMonths: '24',
				skills: '胸外按压 | Compressions\n只有中文'
			});
			expect(bad.status).toBe(400);
			const html = await bad.text();
			for (const message of [
				'只能使用大写字母、数字和连字符',
				'请填写此项',
				'请输入 15 到 720 之间的整数',
				'第 2 行应写成“中文 | English”'
			])
				expect(html).toContain(message);
			const good = await client.post('/staff/training/courses/new', {
				code: 'cpr-refresh',
				titleZh: '心肺复苏复训',
				titleEn: 'CPR refresher',
				descriptionZh: '复训',
				descriptionEn: 'Refresher',
				durationMinutes: '90',
				validityMonths: '24',
				countsTowardCoverage: '1',
				skills: '胸外按压 | Compressions\nAED 使用 | Using an AED'
			});
			expect(good.status).toBe(303);
			const edit = good.headers.get('location')!;
			expect(edit).toMatch(/^\/staff\/training\/courses\/\d+\?saved=1$/);
			const form = await (await client.get(edit)).text();
			expect(form).toContain('CPR-REFRESH');
			expect(form).toContain('AED 使用 | Using an AED');
			const taken = await client.post(edit.replace(/\?.*$/, ''), {
				code: 'CPR-AED',
				titleZh: '心肺复苏复训',
				titleEn: 'CPR refresher',
				descriptionZh: '复训',
				descriptionEn: 'Refresher',
				durationMinutes: '90',
				validityMonths: '24',
				skills: '胸外按压 | Compressions'
			});
			expect(taken.status).toBe(409);
			expect(await taken.text()).toContain('这个课程代码已经被使用');
			// Staff limited to one community cannot touch courses.
			expect((await (await staff()).get(edit)).status).toBe(403);
		} finally {
			await handle.close();
		}
	});

	it('a refused "counts toward coverage" box says why next to it', async () => {
		const handle = openPostgres(databaseUrl!, 2);
		try {
			const chief = await createAccount(handle.db, { roles: ['resident', 'staff'] });
			const client = new Client(server.url);
			client.cookies.set('hd_session', (await createSession(handle.db, chief.accountId)).token);
			const form = new URLSearchParams({ code: 'FIRST-AID-2', titleZh: '急救', titleEn: 'First aid', durationMinutes: '90' });
			// Sent twice: a tampered or broken form, refused rather than one value picked.
			form.append('countsTowardCoverage', '1');
			form.append('countsTowardCoverage', '1');
			const refused = await client.post('/staff/training/courses/new', form);
			expect(refused.status).toBe(400);
			const html = await refused.text();
			expect(html).toMatch(/<input[^>]*name="countsTowardCoverage"[^>]*aria-describedby="field-countsTowardCoverage-error"/);
			expect(html).toMatch(/id="field-countsTowardCoverage-error">格式不正确，请重新输入</);
		} finally {
			await handle.close();
		}
	});
});

describeOnPostgres('another trainer', () => {
	it('cannot open or assess the demo trainer’s trainees', async () => {
		const handle = openPostgres(databaseUrl!, 2);
		try {
			const other = await createAccount(handle.db, { roles: ['resident', 'trainer'] });
			const token = (await createSession(handle.db, other.accountId)).token;
			const client = new Client(server.url);
			client.cookies.set('hd_session', token);
			expect((await client.get('/trainer')).status).toBe(200);
			const ids = await linkedIds(await trainer(), '/trainer', '/trainer/sessions');
			for (const id of ids) {
				expect((await client.get(`/trainer/sessions/${id}`)).status).toBe(404);
				expect((await client.post(`/trainer/sessions/${id}?/attendance`, { present: '1' })).status).toBe(404);
				expect((await client.post(`/trainer/sessions/${id}/trainees/1`, { 'result-1': 'pass' })).status).toBe(404);
			}
		} finally {
			await handle.close();
		}
	});
});
