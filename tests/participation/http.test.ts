/**
 * The participation pages over HTTP on the production build, as a browser without JavaScript uses
 * them: staff limited to one community never see another's figures or people — not by changing the
 * address, not through an export parameter, not through a form; every view of a person is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/http';
import { createAccount, FACTORY_PASSWORD } from '../helpers/factories';
import { startPortal, type Portal } from '../admin/portal';
import { buildDataset } from './dataset';

type Account = Awaited<ReturnType<typeof createAccount>>;
let portal: Portal;
let d: Awaited<ReturnType<typeof buildDataset>>;
let staffA: Account;
let districtStaff: Account;
let resident: Account;

beforeAll(async () => {
	portal = await startPortal(async (db) => {
		d = await buildDataset(db);
		staffA = await createAccount(db, { communityId: d.a.id, roles: ['resident', { role: 'staff', communityId: d.a.id }] });
		districtStaff = await createAccount(db, { communityId: d.b.id, roles: ['resident', 'staff'] });
		resident = await createAccount(db, { communityId: d.a.id });
	});
});
afterAll(() => portal?.close());

/** The body as sent, byte-order mark included (Response.text() drops it). */
async function rawText(response: Response): Promise<string> {
	return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
}

async function loggedIn(account: Account): Promise<Client> {
	const client = new Client(portal.url);
	expect((await client.login(account.login, FACTORY_PASSWORD)).status, 'log-in').toBe(303);
	return client;
}

const PERIOD = 'from=2026-01&to=2026-06';

describe('staff limited to one community', () => {
	it('see their own community’s dashboard, coverage and exports', async () => {
		const client = await loggedIn(staffA);
		const page = await client.get(`/staff?${PERIOD}`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('甲社区');
		expect(html).not.toContain('乙社区');
		expect((await client.get(`/staff/coverage?${PERIOD}`)).status).toBe(200);

		// No community named: their own, never the district's.
		const csv = await client.get(`/staff/export/dashboard?${PERIOD}`);
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(csv.headers.get('content-disposition')).toBe('attachment; filename="participation-dashboard_2026-01_2026-06_pa.csv"');
		const body = new Uint8Array(await csv.arrayBuffer());
		expect([...body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(new TextDecoder().decode(body)).toContain('2026-03,健身场地,3,3,0,0,2,1,4,4,100%');
	});

	it('are refused another community’s figures by address, by export parameter and by form', async () => {
		const client = await loggedIn(staffA);
		const other = `${PERIOD}&community=${d.b.id}`;
		expect((await client.get(`/staff?${other}`)).status).toBe(403);
		expect((await client.get(`/staff/coverage?${other}`)).status).toBe(403);
		expect((await client.get(`/staff?${PERIOD}&community=all`)).status).toBe(200);
		for (const table of ['dashboard', 'totals', 'coverage', 'communities', 'expiring']) {
			const response = await client.get(`/staff/export/${table}?${other}`);
			expect(response.status, table).toBe(403);
			expect(await response.text()).not.toContain('2026');
		}
		expect((await client.post(`/staff/coverage?${other}&/target`, { target: '50' })).status).toBe(403);
		expect((await client.post(`/staff/coverage?${other}&/notify`, {})).status).toBe(403);
		const counts = await portal.inspect(async (db) => ({
			targets: (await db.selectFrom('coverage_target').selectAll().execute()).length,
			notices: (await db.selectFrom('notification').selectAll().where('kind', '=', 'coverage_refresher').execute()).length
		}));
		expect(counts).toEqual({ targets: 0, notices: 0 });
	});

	it('page the monthly table six months at a time, with links that need no script', async () => {
		const client = await loggedIn(staffA);
		const monthly = (html: string) => /<table aria-labelledby="monthly-heading"[^>]*>[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
		const monthsIn = (table: string) => [...new Set([...table.matchAll(/<th scope="row"[^>]*>(\d{4}-\d{2})<\/th>/g)].map((m) => m[1]))];
		const year = 'from=2026-01&to=2026-12';
		const first = await (await client.get(`/staff?${year}`)).text();
		expect(monthsIn(monthly(first))).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
		expect(first).toContain('第 1 页，共 2 页');
		expect(first).toMatch(
			new RegExp(`href="\\?from=2026-01&(amp;)?to=2026-12&(amp;)?community=${d.a.id}&(amp;)?monthly=2#monthly-heading"`)
		);
		expect(first).not.toContain('上一页');
		const second = await (await client.get(`/staff?${year}&monthly=2`)).text();
		expect(monthsIn(monthly(second))).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
		expect(second).toContain('上一页');
		expect(second).not.toContain('下一页');
		// The chart's table still covers the whole year; a page past the end shows the last one.
		expect(second).toMatch(/<th scope="row"[^>]*>2026-01<\/th>/);
		const past = await (await client.get(`/staff?${year}&monthly=9`)).text();
		expect(monthsIn(monthly(past))).toEqual(monthsIn(monthly(second)));
		// Six months or fewer: one page, no pager.
		expect(await (await client.get(`/staff?${PERIOD}`)).text()).not.toContain('共 1 页');
	});

	it('"all" means their own community only', async () => {
		const client = await loggedIn(staffA);
		const csv = await rawText(await client.get(`/staff/export/coverage?${PERIOD}&community=all`));
		// A alone: 3, 3, 1, 1, 1, 1 holders of 100 (the district would be 3, 3, 2, 2, 3, 3 of 150/180).
		expect(csv).toBe(
			'\uFEFF月份,持证人数,登记人口,普及率\r\n2026-01,3,100,3%\r\n2026-02,3,100,3%\r\n2026-03,1,100,1%\r\n2026-04,1,100,1%\r\n2026-05,1,100,1%\r\n2026-06,1,100,1%\r\n'
		);
	});

	it('see the history of their own community’s people, audited, and nobody else’s', async () => {
		const client = await loggedIn(staffA);
		const own = await client.get(`/staff/people/${d.people.p1}`);
		expect(own.status).toBe(200);
		const html = await own.text();
		expect(html).toContain('参与记录');
		expect(html).toContain(d.certificates.k2);
		expect(html).toContain('已签到');
		// P3 moved to B: staff of A no longer see them; nor P4, always in B.
		expect((await client.get(`/staff/people/${d.people.p3}`)).status).toBe(404);
		expect((await client.get(`/staff/people/${d.people.p4}`)).status).toBe(404);
		const views = await portal.inspect((db) =>
			db.selectFrom('audit_log').select(['subject_id', 'actor_account_id']).where('action', '=', 'person.view').execute()
		);
		expect(views).toEqual([{ subject_id: String(d.people.p1), actor_account_id: staffA.accountId }]);
	});
});

describe('district staff and others', () => {
	it('district staff choose any community and set its target; the export is audited', async () => {
		const client = await loggedIn(districtStaff);
		expect((await client.get(`/staff?${PERIOD}&community=${d.b.id}`)).status).toBe(200);
		const saved = await client.post(`/staff/coverage?${PERIOD}&community=${d.b.id}&/target`, { target: '12.5' });
		expect(saved.status).toBe(200);
		const bad = await client.post(`/staff/coverage?${PERIOD}&community=${d.b.id}&/target`, { target: '=1+1' });
		expect(bad.status).toBe(400);
		const csv = await client.get(`/staff/export/communities?${PERIOD}&community=${d.b.id}`);
		// Today (the server's real clock, after July 2026): P3's certificate has expired, P4's is valid.
		expect(await rawText(csv)).toBe('\uFEFF社区,持证人数,登记人口,普及率,目标\r\n乙社区,1,80,1.25%,12.5%\r\n');
		const audited = await portal.inspect(async (db) => ({
			target: await db.selectFrom('coverage_target').select(['community_id', 'target_percent']).execute(),
			exports: await db
				.selectFrom('audit_log')
				.select(['subject_id', 'community_id'])
				.where('action', '=', 'participation.export')
				.where('actor_account_id', '=', districtStaff.accountId)
				.execute()
		}));
		expect(audited.target).toEqual([{ community_id: d.b.id, target_percent: '12.50' }]);
		expect(audited.exports).toEqual([{ subject_id: 'communities', community_id: d.b.id }]);
	});

	it('a mistyped period falls back to the default with a note; an export with one is refused', async () => {
		const client = await loggedIn(districtStaff);
		const page = await client.get('/staff?from=2026-13&to=x');
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('月份格式应为');
		expect((await client.get('/staff/export/dashboard?from=2026-13&to=x')).status).toBe(400);
		expect((await client.get(`/staff/export/nothing?${PERIOD}`)).status).toBe(404);
	});

	it('residents get 403 everywhere', async () => {
		const client = await loggedIn(resident);
		expect((await client.get('/staff')).status).toBe(403);
		expect((await client.get('/staff/coverage')).status).toBe(403);
		expect((await client.get(`/staff/export/dashboard?${PERIOD}`)).status).toBe(403);
		expect((await new Client(portal.url).get(`/staff/export/dashboard?${PERIOD}`)).status).toBe(303);
	});
});
