/**
 * Platform services through real HTTP on a production build with the demo data set: password
 * reset answers, calendar feed secrets, and the community limits of staff at the counter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/lib/server/demo/seed';
import { createPostgresDatabase, onPostgres } from '../helpers/db';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

let server: ServerProcess;
const phoneOf = (role: string) =>
	DEMO_ACCOUNTS.find((a) => a.roles.some((r) => r.role === role) && (role !== 'resident' || a.roles.length === 1))!.phone;

beforeAll(async () => {
	const env = { DEMO: '1', WORKER_INTERVAL_SECONDS: '0' };
	server = onPostgres() ? await startServer({ databaseUrl: (await createPostgresDatabase()).url, env }) : await startServer({ env });
});
afterAll(() => server?.stop());

async function loggedIn(role: string): Promise<Client> {
	const client = new Client(server.url);
	const response = await client.login(phoneOf(role), DEMO_PASSWORD);
	expect(response.status).toBe(303);
	return client;
}

function alertText(html: string): string {
	return /role="(?:status|alert)"[^>]*>([^<]*)</.exec(html)?.[1] ?? '';
}

describe('password reset over HTTP', () => {
	it('answers a known and an unknown log-in with the very same words', async () => {
		const known = await new Client(server.url).post('/reset', { login: phoneOf('resident') });
		const unknown = await new Client(server.url).post('/reset', { login: '13911112222' });
		expect(known.status).toBe(200);
		expect(unknown.status).toBe(200);
		const a = alertText(await known.text());
		const b = alertText(await unknown.text());
		expect(a).toContain('如果这个手机号或邮箱注册过账户');
		expect(a).toBe(b);
	});

	it('shows a clear message for an unknown or used link, and opening it changes nothing', async () => {
		const response = await new Client(server.url).get('/reset/abcdefghijklmnopqrstuvwxyz234567');
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('这个链接已经用过、已经过期或不正确');
	});
});

describe('calendar feeds over HTTP', () => {
	it('serve the feed for a live secret and 404 once it is revoked', async () => {
		const client = await loggedIn('resident');
		const made = await client.post('/account?/createCalendar', {});
		const url = /(https?:\/\/[^<\s]+\/calendar\/[a-z2-7]{32}\.ics)/.exec(await made.text())?.[1];
		expect(url).toBeTruthy();
		const feed = await fetch(url!);
		expect(feed.status).toBe(200);
		expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
		const body = await feed.text();
		expect(body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
		expect(body).toContain('TZID:Asia/Shanghai');

		await client.post('/account?/revokeCalendar', {});
		expect((await fetch(url!)).status).toBe(404);
		expect((await fetch(`${server.url}/calendar/not-a-secret.ics`)).status).toBe(404);
		// A POST to the feed changes nothing and is not allowed.
		expect((await fetch(url!, { method: 'POST' })).status).toBe(405);
	});
});

describe('staff limited to one community at the counter', () => {
	// The demo staff member works for 东门社区; the demo trainer (person 2) lives in 立新社区.
	const trainerPersonId = DEMO_ACCOUNTS.findIndex((a) => a.roles.some((r) => r.role === 'trainer')) + 1;

	it('cannot find, open or edit a person of another community', async () => {
		const staff = await loggedIn('staff');
		const search = await staff.get(`/staff/people?q=${encodeURIComponent('李建国')}`);
		expect(await search.text()).toContain('没有找到符合条件的居民');
		expect((await staff.get(`/staff/people/${trainerPersonId}`)).status).toBe(404);
		const edit = await staff.post(`/staff/people/${trainerPersonId}?/update`, {
			familyName: '改',
			givenName: '名字',
			communityId: '1'
		});
		expect([403, 404]).toContain(edit.status);
		const link = await staff.post(`/staff/people/${trainerPersonId}?/passwordLink`, {});
		expect(link.status).toBe(404);
	});

	it('cannot register a walk-in into another community by changing the form', async () => {
		const staff = await loggedIn('staff');
		const page = await (await staff.get('/staff/people/new')).text();
		expect(page).toContain('东门社区');
		expect(page).not.toContain('立新社区');
		const response = await staff.post('/staff/people/new', { familyName: '越', givenName: '界', communityId: '2' });
		expect(response.status).toBe(403);
	});

	it('registers a walk-in of their community and prints a password slip with a QR code', async () => {
		const staff = await loggedIn('staff');
		const phone = `137${String(Date.now()).slice(-8)}`;
		const created = await staff.post('/staff/people/new', {
			familyName: '黄',
			givenName: '晓梅',
			phone,
			communityId: '1',
			openAccount: '1'
		});
		expect(created.status).toBe(303);
		const record = created.headers.get('location')!;
		expect(record).toMatch(/^\/staff\/people\/\d+\?created=1$/);
		const slip = await staff.post(`${record.split('?')[0]}?/passwordLink`, {});
		const html = await slip.text();
		expect(html).toContain('<svg');
		const link = /(https?:\/\/[^<\s]+\/reset\/[a-z2-7]{32})/.exec(html)?.[1];
		expect(link).toBeTruthy();
		// The walk-in sets a password through the slip's link and can log in with it.
		const resident = new Client(server.url);
		const setPassword = await resident.post(new URL(link!).pathname, { newPassword: 'my own good passphrase' });
		expect(setPassword.status).toBe(303);
		expect((await resident.login(phone, 'my own good passphrase')).status).toBe(303);
	});

	it('are refused at the walk-in screens when they are residents', async () => {
		const resident = await loggedIn('resident');
		expect((await resident.get('/staff/people')).status).toBe(403);
		expect((await resident.post('/staff/people/new', { familyName: '越', givenName: '权', communityId: '1' })).status).toBe(403);
	});
});
