/**
 * Certificates over HTTP on the demo data: the trainer issues the finished class (ten days ago, six
 * passed), the public verification answers by number and family name, revocation shows at once, a
 * resident cannot fetch someone else's PDF, and look-ups are limited per address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, onPostgres } from '../helpers/db';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

let server: ServerProcess;
const LIMIT = 12;
beforeAll(async () => {
	const env = { DEMO: '1', WORKER_INTERVAL_SECONDS: '0', VERIFICATIONS_PER_MINUTE: String(LIMIT) };
	server = onPostgres() ? await startServer({ databaseUrl: (await createPostgresDatabase()).url, env }) : await startServer({ env });
});
afterAll(() => server?.stop());

async function as(phone: string): Promise<Client> {
	const client = new Client(server.url);
	expect((await client.login(phone, 'Dongmen-demo-2026')).status).toBe(303);
	return client;
}

const text = async (response: Response) => (await response.text()).replace(/<!--.*?-->/g, '');

describe('certificates on the demo data', () => {
	it('are issued to the class that passed, verified, revoked, and kept to their holders', async () => {
		const trainer = await as('13800000002');
		const desk = await text(await trainer.get('/trainer'));
		const ids = [...new Set([...desk.matchAll(/href="\/trainer\/sessions\/(\d+)"/g)].map((m) => m[1]!))];
		let page = '';
		let id = '';
		for (const candidate of ids) {
			page = await text(await trainer.get(`/trainer/sessions/${candidate}/certificates`));
			if (page.includes('为全班发放证书')) {
				id = candidate;
				break;
			}
		}
		expect(id).not.toBe('');
		const names = [...page.matchAll(/name="(family|given)(\d+)"[^>]*value="([^"]*)"/g)];
		expect(names.length).toBe(12); // six trainees, two fields each
		const form = Object.fromEntries(names.map((m) => [`${m[1]}${m[2]}`, m[3]!]));

		// A resident is no trainer; the page refuses the names unconfirmed.
		const resident = await as('13800000001');
		expect([403, 404]).toContain((await resident.get(`/trainer/sessions/${id}/certificates`)).status);
		const unconfirmed = await trainer.post(`/trainer/sessions/${id}/certificates?/issue`, form);
		expect(unconfirmed.status).toBe(400);
		expect(await unconfirmed.text()).toContain('请先核对姓名并勾选确认');

		const issued = await trainer.post(`/trainer/sessions/${id}/certificates?/issue`, { ...form, confirm: '1' });
		expect(issued.status).toBe(200);
		expect(await issued.text()).toContain('已发放 6 张证书');
		const again = await trainer.post(`/trainer/sessions/${id}/certificates?/issue`, { ...form, confirm: '1' });
		expect(await text(again)).toContain('没有重复发放');

		const list = await text(await trainer.get(`/trainer/sessions/${id}/certificates`));
		const numbers = [...list.matchAll(/DM-FA-\d{4}-\d{6}-[A-Z]/g)].map((m) => m[0]);
		expect(new Set(numbers).size).toBe(6);
		// The class printed at once: one page per certificate; for the session's trainer only.
		const pages = async (client: Client) => {
			const response = await client.get(`/trainer/sessions/${id}/certificates/pdf`);
			if (response.status !== 200) return response.status;
			expect(response.headers.get('content-type')).toBe('application/pdf');
			return (
				Buffer.from(await response.arrayBuffer())
					.toString('latin1')
					.match(/\/Type \/Page\b/g) ?? []
			).length;
		};
		expect(await pages(trainer)).toBe(6);
		const first = [...list.matchAll(/<span>([^<]+)<\/span>\s*<strong>已发放 · (DM-FA-[^<]+)<\/strong>/g)][0]!;
		const holder = first[1]!;
		const number = first[2]!;
		const family = Object.entries(form).find(([k, v]) => k.startsWith('family') && holder.startsWith(v))![1];

		const visitor = new Client(server.url);
		const valid = await text(await visitor.post('/verify', { number, familyName: family }));
		expect(valid).toContain('证书有效');
		expect(valid).toContain(`${family}*`);
		expect(valid).not.toContain(holder);
		expect(await text(await visitor.post('/verify', { number, familyName: '不对' }))).toContain('没有找到与这些信息相符的证书');
		const typo = number.slice(0, 12) + ((Number(number[12]) + 1) % 10) + number.slice(13);
		expect(await text(await visitor.post('/verify', { number: typo, familyName: family }))).toContain('好像输错了');
		const malformed = await visitor.post('/verify', { number: 'DM-123', familyName: family });
		expect(malformed.status).toBe(400);
		expect(await malformed.text()).toContain('id="field-number-error"');

		const certificateId = list.match(new RegExp(`${number}</strong>[\\s\\S]*?name="certificateId" value="(\\d+)"`))![1]!;
		const revoked = await trainer.post(`/trainer/sessions/${id}/certificates?/revoke`, { certificateId, reason: '姓名有误' });
		expect(await text(revoked)).toContain('证书已撤销');
		expect(await pages(trainer)).toBe(5);
		expect([403, 404]).toContain(await pages(resident));
		expect(await text(await visitor.post('/verify', { number, familyName: family }))).toContain('证书已撤销');

		// Someone else's certificate is simply not there for this resident.
		expect((await resident.get(`/me/certificates/${certificateId}/pdf`)).status).toBe(404);
		expect((await resident.get(`/me/certificates/${certificateId}`)).status).toBe(404);
		const mine = await text(await resident.get('/me/certificates'));
		expect(mine).toContain('我的证书');
		expect(mine).not.toContain(number);
		expect((await visitor.get('/me/certificates')).status).toBe(303);

		// The QR link's page answers without logging in; unknown codes get the neutral answer.
		expect(await text(await visitor.get(`/verify/${'a'.repeat(32)}`))).toContain('没有找到与这些信息相符的证书');
	});

	it('show the demo resident a certificate expiring soon, an expired one and a revoked one re-issued', async () => {
		const resident = await as('13800000001');
		const home = await text(await resident.get('/'));
		expect(home).toContain('证书即将到期');
		expect(home).toMatch(/心肺复苏与 AED 使用 证书有效期至 \d{4}年\d{1,2}月\d{1,2}日/);
		expect(home).toMatch(/href="\/training\?course=\d+">报名复训/);
		const mine = await text(await resident.get('/me/certificates'));
		const cards = [...mine.matchAll(/<li class="[^"]*status-(\w+)[^"]*">\s*<h2[^>]*>([^<]+)<\/h2>[\s\S]*?<\/li>/g)].map((m) => [
			m[1],
			m[2],
			m[0].includes('即将到期')
		]);
		expect(cards).toEqual([
			['valid', '基础急救', false],
			['revoked', '基础急救', false],
			['valid', '心肺复苏与 AED 使用', true],
			['expired', '基础急救', false]
		]);
		// Someone without certificates sees no such section.
		const staff = await as('13800000003');
		expect(await text(await staff.get('/'))).not.toContain('证书即将到期');
	});

	it('let staff of the community find, revoke and re-issue a certificate; the public page follows', async () => {
		const staff = await as('13800000004');
		const found = await text(await staff.get(`/staff/certificates?q=${encodeURIComponent('王秀英')}`));
		const rows = [...found.matchAll(/<tr>[\s\S]*?<\/tr>/g)].map((m) => m[0]).filter((r) => r.includes('DM-FA-'));
		expect(rows.length).toBe(4);
		const row = rows.find((r) => r.includes('心肺复苏') && r.includes('有效'))!;
		const certificateId = /href="\/staff\/certificates\/(\d+)"/.exec(row)![1]!;
		const cpr = await text(await staff.get(`/staff/certificates/${certificateId}`));
		expect(cpr).toContain('撤销这张证书');
		const code = /href="\/verify\/([A-Za-z0-9_-]+)"/.exec(cpr)![1]!;
		const visitor = new Client(server.url);
		expect(await text(await visitor.get(`/verify/${code}`))).toContain('证书有效');

		const blank = await staff.post(`/staff/certificates/${certificateId}?/revoke`, { reason: ' ' });
		expect(blank.status).toBe(400);
		expect(await blank.text()).toContain('id="field-reason-error"');
		// Not staff: a resident's post is refused and changes nothing.
		const resident = await as('13800000001');
		expect([403, 404]).toContain((await resident.post(`/staff/certificates/${certificateId}?/revoke`, { reason: 'x' })).status);
		expect([403, 404]).toContain((await resident.get(`/staff/certificates/${certificateId}`)).status);
		expect(await text(await visitor.get(`/verify/${code}`))).toContain('证书有效');

		expect(await text(await staff.post(`/staff/certificates/${certificateId}?/revoke`, { reason: '培训记录有误' }))).toContain(
			'证书已撤销'
		);
		expect(await text(await visitor.get(`/verify/${code}`))).toContain('证书已撤销');
		const reissued = await text(await staff.post(`/staff/certificates/${certificateId}?/reissue`, {}));
		expect(reissued).toMatch(/已补发新证书 DM-FA-\d{4}-\d{6}-[A-Z]/);
		expect(await text(await visitor.get(`/verify/${code}`))).toContain('证书已撤销');
		expect(await text(await staff.get(`/staff/certificates/${certificateId}`))).toContain('培训记录有误');
	});

	it('limits look-ups per address', async () => {
		const visitor = new Client(server.url);
		const statuses: number[] = [];
		for (let i = 0; i < LIMIT + 2; i++) statuses.push((await visitor.get(`/verify/${'b'.repeat(32)}`)).status);
		expect(statuses).toContain(429);
		expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(LIMIT);
		const refused = await visitor.get(`/verify/${'b'.repeat(32)}`);
		expect(refused.status).toBe(429);
		expect(await refused.text()).toContain('操作太频繁');
	});
});
