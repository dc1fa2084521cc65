/**
 * The admin area over HTTP, on the production build, as a browser without JavaScript uses it:
 * residents and community staff get 403 on every admin page and action; an admin grants a staff
 * role limited to one community (shown, effective at once, audited); bad input is answered with a
 * message and writes nothing; disabling ends the person's sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/http';
import { createAccount, createCommunity, FACTORY_PASSWORD, rowCounts } from '../helpers/factories';
import { startPortal, type Portal } from './portal';

type Account = Awaited<ReturnType<typeof createAccount>>;
let portal: Portal;
let ids: { dongmen: number; lixin: number; dongmenCode: string; failedMessage: number; residentRole: number };
let admin: Account;
let resident: Account;
let staff: Account;
let target: Account;
let leaver: Account;

const TABLES = ['community', 'community_population', 'account_role', 'audit_log', 'outbox'] as const;

beforeAll(async () => {
	portal = await startPortal(async (db) => {
		const dongmen = await createCommunity(db, { nameZh: '东门社区T', nameEn: 'Dongmen T', population: 12_800 });
		const lixin = await createCommunity(db, { nameZh: '立新社区T', nameEn: 'Lixin T' });
		admin = await createAccount(db, { familyName: '欧阳', givenName: '伟', communityId: dongmen.id, roles: ['resident', 'admin'] });
		resident = await createAccount(db, { familyName: '王', givenName: '秀英', communityId: dongmen.id });
		staff = await createAccount(db, { communityId: dongmen.id, roles: ['resident', { role: 'staff', communityId: dongmen.id }] });
		target = await createAccount(db, { familyName: '钱', givenName: '多多', communityId: dongmen.id });
		leaver = await createAccount(db, { familyName: '孙', givenName: '离开', communityId: lixin.id });
		const failed = await db
			.insertInto('outbox')
			.values({
				channel: 'sms',
				address: '13987654321',
				locale: 'zh-CN',
				kind: 'password_reset',
				payload: JSON.stringify({}),
				status: 'failed',
				attempts: 5,
				last_error: 'gateway timeout',
				next_attempt_at: new Date(),
				created_at: new Date('2026-03-02T02:05:00Z')
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const residentRole = await db
			.selectFrom('account_role')
			.select('id')
			.where('account_id', '=', target.accountId)
			.executeTakeFirstOrThrow();
		ids = { dongmen: dongmen.id, lixin: lixin.id, dongmenCode: dongmen.code, failedMessage: failed.id, residentRole: residentRole.id };
	});
});
afterAll(() => portal?.close());

async function loggedIn(account: Account): Promise<Client> {
	const client = new Client(portal.url);
	const response = await client.login(account.login, FACTORY_PASSWORD);
	if (response.status !== 303) console.error(portal.output().split('\n').slice(-20).join('\n'));
	expect(response.status, 'log-in').toBe(303);
	return client;
}

const snapshot = () =>
	portal.inspect(async (db) => ({
		counts: await rowCounts(db, [...TABLES]),
		disabled: (await db.selectFrom('account').select(['id', 'disabled_at']).orderBy('id').execute()).map((a) => [
			a.id,
			a.disabled_at !== null
		]),
		outbox: await db.selectFrom('outbox').select(['id', 'status', 'attempts']).orderBy('id').execute(),
		communities: await db.selectFrom('community').selectAll().orderBy('id').execute()
	}));

function adminPages(): string[] {
	return [
		'/admin',
		'/admin/communities',
		`/admin/communities/${ids.dongmen}`,
		'/admin/accounts',
		'/admin/accounts?q=%E9%92%B1',
		`/admin/accounts/${target.accountId}`,
		'/admin/audit',
		'/admin/audit?action=role.grant',
		'/admin/outbox'
	];
}

function adminActions(self: Account): [string, Record<string, string>][] {
	return [
		['/admin/communities?/create', { code: 'intruder', nameZh: '入侵社区', nameEn: 'Intruder' }],
		[`/admin/communities/${ids.dongmen}?/rename`, { nameZh: '改名', nameEn: 'Renamed' }],
		[`/admin/communities/${ids.dongmen}?/population`, { population: '1', effectiveFrom: '2026-01-01' }],
		[`/admin/accounts/${target.accountId}?/disable`, {}],
		[`/admin/accounts/${leaver.accountId}?/enable`, {}],
		[`/admin/accounts/${target.accountId}?/grant`, { role: 'staff', communityId: String(ids.lixin) }],
		[`/admin/accounts/${self.accountId}?/grant`, { role: 'admin', communityId: '' }],
		[`/admin/accounts/${target.accountId}?/revoke`, { roleId: String(ids.residentRole) }],
		['/admin/outbox?/retry', { id: String(ids.failedMessage) }]
	];
}

describe('the admin area for people who are not admins', () => {
	it('answers a resident and community staff with 403 on every page and action, and writes nothing', async () => {
		const before = await snapshot();
		for (const account of [resident, staff]) {
			const client = await loggedIn(account);
			for (const path of adminPages()) {
				const response = await client.get(path);
				expect(response.status, `GET ${path}`).toBe(403);
				expect(await response.text(), `GET ${path}`).toContain('没有权限');
			}
			for (const [path, form] of adminActions(account)) {
				expect((await client.post(path, form)).status, `POST ${path}`).toBe(403);
				// The same as use:enhance sends it.
				const enhanced = await client.post(path, form, { accept: 'application/json', 'x-sveltekit-action': 'true' });
				expect(enhanced.status, `enhanced POST ${path}`).toBe(403);
			}
		}
		const after = await snapshot();
		expect(after).toEqual(before);
	});

	it('sends a visitor to log-in from every page, and refuses every action', async () => {
		const visitor = new Client(portal.url);
		for (const path of adminPages()) {
			const response = await visitor.get(path);
			expect(response.status, path).toBe(303);
			expect(response.headers.get('location'), path).toBe(`/login?next=${encodeURIComponent(path)}`);
		}
		for (const [path, form] of adminActions(resident)) {
			const response = await visitor.post(path, form);
			expect(response.status, path).toBe(303);
			expect(response.headers.get('location'), path).toMatch(/^\/login\?next=/);
		}
	});
});

describe('an admin', () => {
	it('finds a resident, grants staff limited to one community, and sees it work and in the audit log', async () => {
		const client = await loggedIn(admin);
		const search = await client.get(`/admin/accounts?q=${encodeURIComponent('钱多')}`);
		expect(search.status).toBe(200);
		expect(await search.text()).toContain(`href="/admin/accounts/${target.accountId}"`);

		const granted = await client.post(`/admin/accounts/${target.accountId}?/grant`, { role: 'staff', communityId: String(ids.lixin) });
		expect(granted.status).toBe(200);
		const page = await granted.text();
		expect(page).toContain('已授予：社区工作人员（立新社区T）');
		expect(page).toMatch(/社区工作人员<\/th>[\s\S]{0,80}立新社区T/);

		// Effective at the target's next request: the community desk opens, limited to that community.
		const targetClient = await loggedIn(target);
		const desk = await targetClient.get('/staff');
		expect(desk.status).toBe(200);
		expect(await desk.text()).toContain('您负责的社区：立新社区T');

		const log = await client.get('/admin/audit?action=role.grant');
		expect(log.status).toBe(200);
		const logHtml = await log.text();
		expect(logHtml).toContain('授予身份 (role.grant)');
		expect(logHtml).toContain(`href="/admin/accounts/${target.accountId}"`);
		expect(logHtml).toContain('欧阳伟');

		// The same grant again is answered clearly and adds nothing.
		const again = await client.post(`/admin/accounts/${target.accountId}?/grant`, { role: 'staff', communityId: String(ids.lixin) });
		expect(again.status).toBe(409);
		expect(await again.text()).toContain('此账户已经有这个身份，适用范围也相同，无需重复授予');

		const stored = await portal.inspect(async (db) => ({
			roles: await db
				.selectFrom('account_role')
				.select(['role', 'community_id', 'granted_by'])
				.where('account_id', '=', target.accountId)
				.orderBy('id')
				.execute(),
			audit: await db.selectFrom('audit_log').selectAll().where('action', '=', 'role.grant').execute()
		}));
		expect(stored.roles).toEqual([
			{ role: 'resident', community_id: null, granted_by: null },
			{ role: 'staff', community_id: ids.lixin, granted_by: admin.accountId }
		]);
		expect(stored.audit).toHaveLength(1);
		expect(stored.audit[0]).toMatchObject({
			actor_account_id: admin.accountId,
			subject_type: 'account',
			subject_id: String(target.accountId),
			community_id: ids.lixin,
			details: { role: 'staff', community_id: ids.lixin }
		});
		for (const personal of ['钱', '多多', target.login]) expect(JSON.stringify(stored.audit[0])).not.toContain(personal);
	});

	it('gets a clear message for bad input, and nothing is written', async () => {
		const client = await loggedIn(admin);
		const before = await snapshot();
		const long = '长'.repeat(61);
		const cases: [string, Record<string, string> | string, number, string[]][] = [
			['/admin/communities?/create', { code: 'Bad Code!', nameZh: '', nameEn: 'Bad' }, 400, ['请输入 2–32 个字符', '请填写此项']],
			['/admin/communities?/create', { code: ids.dongmenCode, nameZh: '重复', nameEn: 'Duplicate' }, 409, ['这个代码已被另一个社区使用']],
			['/admin/communities?/create', { code: 'too-long', nameZh: long, nameEn: 'Long' }, 400, ['最多 60 个字符']],
			[`/admin/communities/${ids.dongmen}?/rename`, { nameZh: '', nameEn: '' }, 400, ['请填写此项']],
			[
				`/admin/communities/${ids.dongmen}?/population`,
				{ population: '-5', effectiveFrom: '2026-02-30' },
				400,
				['请输入 0 到 10000000 之间的整数', '1950 年到 2100 年']
			],
			[`/admin/communities/${ids.dongmen}?/population`, { population: '12,800', effectiveFrom: '' }, 400, ['之间的整数', '请填写此项']],
			// A field left out or sent twice still gets its message next to the field (found by the fuzzed forms).
			[`/admin/communities/${ids.dongmen}?/rename`, { nameEn: 'Renamed' }, 400, ['id="field-nameZh-error">请填写此项']],
			[
				`/admin/communities/${ids.dongmen}?/population`,
				'population=1&population=2&effectiveFrom=2026-01-01',
				400,
				['id="field-population-error">格式不正确']
			],
			// A record that does not exist: the page itself is not found.
			['/admin/communities/999999?/population', { population: '100', effectiveFrom: '2026-01-01' }, 404, ['找不到这个页面']],
			[`/admin/accounts/${target.accountId}?/grant`, { role: 'superuser', communityId: '' }, 400, ['请选择一项']],
			[`/admin/accounts/${target.accountId}?/grant`, { role: 'staff', communityId: 'abc' }, 400, ['找不到这个社区，请重新选择']],
			[`/admin/accounts/${target.accountId}?/grant`, { role: 'staff', communityId: '999999' }, 400, ['找不到这个社区，请重新选择']],
			[`/admin/accounts/${target.accountId}?/grant`, { role: 'admin', communityId: String(ids.dongmen) }, 400, ['只能适用于全部社区']],
			[`/admin/accounts/${target.accountId}?/grant`, 'role=staff&role=admin&communityId=', 400, ['格式不正确']],
			['/admin/accounts/999999?/grant', { role: 'staff', communityId: '' }, 404, ['找不到这个页面']],
			[`/admin/accounts/${target.accountId}?/revoke`, { roleId: '999999' }, 404, ['这个身份已经不存在']],
			[`/admin/accounts/${target.accountId}?/revoke`, { roleId: 'abc' }, 400, ['这个身份已经不存在']],
			[`/admin/accounts/${admin.accountId}?/disable`, {}, 400, ['不能停用您自己的账户']],
			[`/admin/accounts/${target.accountId}?/enable`, {}, 409, ['这个账户已经是正常状态']],
			['/admin/outbox?/retry', { id: 'x' }, 400, ['已不在失败列表中']],
			['/admin/outbox?/retry', { id: '999999' }, 409, ['已不在失败列表中']]
		];
		for (const [path, form, status, texts] of cases) {
			const body = typeof form === 'string' ? new URLSearchParams(form) : form;
			const response = await client.post(path, body);
			const html = await response.text();
			expect(response.status, `${path} ${JSON.stringify(form)}`).toBe(status);
			for (const text of texts) expect(html, `${path} ${JSON.stringify(form)}`).toContain(text);
		}
		// A path that is not an id.
		expect((await client.post('/admin/accounts/abc?/grant', { role: 'staff' })).status).toBe(404);
		// Filters and searches that make no sense are answered on the page, not with an error.
		const filters: [string, string][] = [
			['/admin/audit?from=2026-13-01', '请按“年-月-日”输入 1950 年到 2100 年之间的日期'],
			['/admin/audit?from=2026-03-02&to=2026-03-01', '结束日期不能早于开始日期'],
			['/admin/audit?actor=abc', '请输入账户编号：一个正整数'],
			['/admin/audit?page=0', '审计记录，最新的在前（第 1 页）'],
			[`/admin/accounts?q=${'王'.repeat(101)}`, '最多 100 个字符'],
			[`/admin/accounts?q=${encodeURIComponent('查无此人')}`, '没有找到与“查无此人”相符的账户']
		];
		for (const [path, text] of filters) {
			const response = await client.get(path);
			expect(response.status, path).toBe(200);
			expect(await response.text(), path).toContain(text);
		}
		expect((await client.get('/admin/accounts/abc')).status).toBe(404);
		expect((await client.get('/admin/communities/999999')).status).toBe(404);
		expect(await snapshot()).toEqual(before);
	});

	it('creates a community and records its population, each confirmed on the page', async () => {
		const client = await loggedIn(admin);
		const created = await client.post('/admin/communities?/create', { code: 'Hubei-T', nameZh: '湖贝社区T', nameEn: 'Hubei T' });
		expect(created.status).toBe(303);
		const location = created.headers.get('location')!;
		expect(location).toMatch(/^\/admin\/communities\/\d+\?created=1$/);
		const page = await client.get(location);
		const html = await page.text();
		expect(html).toContain('社区已创建');
		expect(html).toContain('<code>hubei-t</code>');
		expect(html).toContain('还没有登记户籍人口');

		const path = location.replace('?created=1', '');
		const recorded = await client.post(`${path}?/population`, { population: '11200', effectiveFrom: '2026-01-01' });
		expect(recorded.status).toBe(200);
		const after = await recorded.text();
		expect(after).toContain('已登记：自 2026-01-01 起 11200 人');
		expect(after).toContain('现行（今天有效）');
		const list = await (await client.get('/admin/communities')).text();
		expect(list).toContain('11200 人（2026-01-01 起）');
	});

	it('disables an account, which logs the person out everywhere, and re-enables it', async () => {
		const person = await loggedIn(leaver);
		expect((await person.get('/account')).status).toBe(200);
		const client = await loggedIn(admin);
		const disabled = await client.post(`/admin/accounts/${leaver.accountId}?/disable`, {});
		expect(disabled.status).toBe(200);
		expect(await disabled.text()).toContain('账户已停用，此人在所有设备上的登录已退出');
		expect((await person.get('/account')).status).toBe(303);
		expect(await (await person.login(leaver.login, FACTORY_PASSWORD)).text()).toContain('这个账户已停用');

		const enabled = await client.post(`/admin/accounts/${leaver.accountId}?/enable`, {});
		expect(enabled.status).toBe(200);
		expect(await enabled.text()).toContain('账户已恢复');
		expect((await person.login(leaver.login, FACTORY_PASSWORD)).status).toBe(303);
	});

	it('sees failed messages without their address and sends one again', async () => {
		const client = await loggedIn(admin);
		const page = await client.get('/admin/outbox');
		const html = await page.text();
		expect(page.status).toBe(200);
		expect(html).toContain('gateway timeout');
		expect(html).toContain('健康东门：重置密码');
		expect(html).not.toContain('13987654321');
		const retried = await client.post('/admin/outbox?/retry', { id: String(ids.failedMessage) });
		expect(retried.status).toBe(200);
		expect(await retried.text()).toContain(`第 ${ids.failedMessage} 条消息已放回发送队列`);
	});
});
