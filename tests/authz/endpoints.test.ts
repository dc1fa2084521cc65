/**
 * Headers and limits (issue #12 item 6): a Content-Security-Policy without 'unsafe-inline' scripts on
 * every rendered page; a body over BODY_SIZE_LIMIT (a roster file too big) answered with a message
 * the person can act on, never a 500; and every endpoint that is not a form (calendar feed, CSV
 * exports, personal data exports, PDFs, check-in links) changes nothing on GET and checks its secret
 * or session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as devalue from 'devalue';
import type { Client } from '../helpers/http';
import { ROLES, type Who } from './fixture';
import { clientsFor, startAuthzPortal, type Setup } from './probe';
import { snapshot } from './snapshot';

let setup: Setup;
beforeAll(async () => {
	const started = await startAuthzPortal();
	setup = { ...started, clients: await clientsFor(started.portal.url) };
});
afterAll(() => setup?.portal.close());

const as = (who: Who): Client => setup.clients[who];

describe('the Content-Security-Policy', () => {
	const pages: [Who, string][] = [
		['anonymous', '/'],
		['anonymous', '/login'],
		['anonymous', '/fitness'],
		['anonymous', '/doctors'],
		['anonymous', '/verify'],
		['anonymous', '/no-such-page'],
		['resident', '/me/reservations'],
		['resident', '/account'],
		['staff', '/staff'],
		['staff', '/staff/people'],
		['trainer', '/trainer'],
		['doctor', '/doctor'],
		['admin', '/admin/accounts']
	];

	it('allows only scripts with this response’s nonce (or a hash), never inline script in general', async () => {
		for (const [who, path] of pages) {
			const response = await as(who).get(path);
			const html = await response.text();
			const csp = response.headers.get('content-security-policy') ?? '';
			const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
			expect(scriptSrc, `${path}: script-src`).not.toBe('');
			expect(scriptSrc, path).not.toContain("'unsafe-inline'");
			expect(scriptSrc, path).not.toContain("'unsafe-eval'");
			expect(csp, path).toContain("object-src 'none'");
			expect(csp, path).toContain("frame-ancestors 'none'");
			expect(csp, path).toContain("base-uri 'self'");
			const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
			const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
				(m) => !/\ssrc=/.test(m[1]!) && m[2]!.trim() !== ''
			);
			// SvelteKit starts the app from an inline script: it must carry the nonce of this very response.
			expect(inline.length, `${path}: the inline start-up script`).toBeGreaterThan(0);
			for (const m of inline) expect(m[1], `${path}: an inline script without the nonce`).toContain(`nonce="${nonce}"`);
			expect(html, `${path}: inline event handlers`).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
		}
	});

	it('gives each response a fresh nonce', async () => {
		const nonceOf = async () => /'nonce-([^']+)'/.exec((await as('anonymous').get('/')).headers.get('content-security-policy') ?? '')?.[1];
		const [a, b] = [await nonceOf(), await nonceOf()];
		expect(a).toBeTruthy();
		expect(a).not.toBe(b);
	});
});

describe('a body over the size limit', () => {
	const LIMIT_KB = 512; // BODY_SIZE_LIMIT's default
	const bigRoster = () => {
		const form = new FormData();
		const row = '王,小明,13900000000,2012\r\n';
		const rows = Math.ceil((LIMIT_KB * 1024 + 10_000) / Buffer.byteLength(row));
		form.append('roster', new Blob(['姓,名,手机号,出生年份\r\n' + row.repeat(rows)], { type: 'text/csv' }), 'class.csv');
		return form;
	};
	const importPath = () => `/staff/training/sessions/${setup.fixture.trainingSession}?/import`;

	it('posted without JavaScript: a page in both languages with a way back, nothing imported', async () => {
		const before = await setup.portal.inspect((db) => snapshot(db, setup.fixture));
		const referer = `${setup.portal.url}/staff/training/sessions/${setup.fixture.trainingSession}`;
		const response = await as('staff').post(importPath(), bigRoster(), { referer });
		expect(response.status).toBe(413);
		expect(response.headers.get('content-type')).toContain('text/html');
		const html = await response.text();
		expect(html).toContain('提交的文件或内容太大，最多 512 KB');
		expect(html).toContain('The file or form sent is too large: at most 512 KB');
		expect(html).toContain(`href="/staff/training/sessions/${setup.fixture.trainingSession}"`);
		// English first for someone who chose English.
		const english = await as('anonymous').post('/verify', bigRoster(), { cookie: 'hd_lang=en' });
		const text = await english.text();
		expect(english.status).toBe(413);
		expect(text).toContain('<html lang="en"');
		expect(text.indexOf('<section lang="en"')).toBeLessThan(text.indexOf('<section lang="zh-CN"'));
		expect(await setup.portal.inspect((db) => snapshot(db, setup.fixture))).toEqual(before);
	});

	it('posted by the enhanced form: a failed action whose message the page shows in the form', async () => {
		const response = await as('staff').post(importPath(), bigRoster(), { accept: 'application/json', 'x-sveltekit-action': 'true' });
		expect(response.status).toBe(413);
		const result = (await response.json()) as { type: string; status: number; data: string };
		expect(result.type).toBe('failure');
		expect(result.status).toBe(413);
		expect(devalue.parse(result.data)).toEqual({ message: { key: 'error.bodyTooLarge', params: { kb: LIMIT_KB } } });
	});

	it('streamed without a length: refused as too large, not a server error', async () => {
		const bytes = new TextEncoder().encode('x='.padEnd(LIMIT_KB * 1024 + 1024, 'y'));
		const body = new ReadableStream({
			start(controller) {
				for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
				controller.close();
			}
		});
		const response = await fetch(`${setup.portal.url}/verify`, {
			method: 'POST',
			body,
			duplex: 'half',
			headers: { origin: setup.portal.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }
		} as RequestInit);
		expect(response.status).toBe(413);
		const html = await response.text();
		expect(html).toContain('提交的文件或内容太大');
		expect(html).toContain('The file or form sent is too large');
	});
});

describe('endpoints that are not forms', () => {
	const f = () => setup.fixture;
	const gets: [Who, string, string][] = [
		['anonymous', '/calendar/<secret>.ics', 'text/calendar'],
		['staff', '/staff/export/dashboard', 'text/csv'],
		['staff', '/staff/export/coverage', 'text/csv'],
		['resident', '/me/data/export.json', 'application/json'],
		['resident', '/me/data/export.zip', 'application/zip'],
		['resident', '/me/certificates/<certificate>/pdf', 'application/pdf'],
		['trainer', '/trainer/sessions/<session>/certificates/pdf', 'application/pdf'],
		['resident', '/fitness/checkin/<code>', 'text/html'],
		['anonymous', '/verify/<code>', 'text/html']
	];
	const fill = (path: string) =>
		path
			.replace('<secret>', f().calendarSecret)
			.replace('<certificate>', String(f().certificate))
			.replace('<session>', String(f().trainingSession))
			.replace('/checkin/<code>', `/checkin/${f().spaceCode}`)
			.replace('<code>', f().certificateCode);

	it('change nothing on GET (twice over), and keep private answers out of shared caches', async () => {
		const before = await setup.portal.inspect((db) => snapshot(db, f()));
		for (let round = 0; round < 2; round++) {
			for (const [who, path, type] of gets) {
				const response = await as(who).get(fill(path));
				expect(response.status, path).toBe(200);
				expect(response.headers.get('content-type'), path).toContain(type);
				if (!type.startsWith('text/html')) expect(response.headers.get('cache-control') ?? '', path).toMatch(/no-store|private/);
				await response.arrayBuffer();
			}
		}
		expect(await setup.portal.inspect((db) => snapshot(db, f()))).toEqual(before);
	});

	// What the person sees, rather than the database: on embedded PGlite every look at the database
	// restarts the server, and these pages say it all.
	it('check in only by POST from the check-in link, for the person’s own place', async () => {
		const link = `/fitness/checkin/${f().spaceCode}`;
		const button = `name="reservationId" value="${f().checkinReservation}"`;
		for (let i = 0; i < 2; i++) {
			const page = await (await as('resident').get(link)).text();
			expect(page, 'opening the link offers the check-in, and does not check in').toContain(button);
			expect(page).not.toContain('已签到');
		}
		// Someone else with the same link and the resident's reservation id checks nobody in.
		const other = await as('trainer').post(link, { reservationId: String(f().checkinReservation) });
		expect(other.status).toBe(409);
		expect(await (await as('resident').get(link)).text()).toContain(button);
		const mine = await as('resident').post(link, { reservationId: String(f().checkinReservation) });
		expect(mine.status).toBe(200);
		expect(await mine.text()).toContain('签到成功');
		const after = await (await as('resident').get(link)).text();
		expect(after).toContain('已签到');
		expect(after).not.toContain(button);
	});

	it('leave a password link unused when it is only opened (mail scanners open links)', async () => {
		// The counter refuses this one (the account has a password); an administrator, with a reason, may.
		const refused = await as('staff').post(`/staff/people/${f().targetPerson}?/passwordLink`, {});
		expect(refused.status).toBe(409);
		expect(await refused.text()).not.toMatch(/\/reset\/[a-z2-7]{32}/);
		const made = await as('admin').post(`/admin/accounts/${f().targetAccount}?/passwordLink`, { reason: 'Lost phone; came in with ID' });
		expect(made.status).toBe(200);
		const token = /https?:\/\/[^\s"<]+\/reset\/([A-Za-z0-9_-]+)/.exec(await made.text())?.[1];
		expect(token).toBeTruthy();
		for (let i = 0; i < 2; i++) {
			const page = await as('anonymous').get(`/reset/${token}`);
			expect(page.status).toBe(200);
			expect(page.headers.get('cache-control')).toContain('no-store');
			expect(await page.text()).toContain('name="newPassword"');
		}
		// Still good after being opened twice: the form's POST is what uses it, once.
		const used = await as('anonymous').post(`/reset/${token}`, { newPassword: 'Lantern-river-2031' });
		expect(used.status).toBe(303);
		expect(used.headers.get('location')).toBe('/login?reset=done');
		expect(await (await as('anonymous').get(`/reset/${token}`)).text()).not.toContain('name="newPassword"');
		expect(await (await as('anonymous').get(`/reset/${'A'.repeat(token!.length)}`)).text()).not.toContain('name="newPassword"');
	});

	it('check their secret: unknown, malformed and revoked calendar links are not found', async () => {
		const anonymous = as('anonymous');
		const secret = f().calendarSecret;
		expect((await anonymous.get(`/calendar/${secret}.ics`)).status).toBe(200);
		const wrong = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
		for (const path of [`/calendar/${wrong}.ics`, `/calendar/${secret}`, `/calendar/${secret.toUpperCase()}.ics`, '/calendar/x.ics']) {
			expect((await anonymous.get(path)).status, path).toBe(404);
		}
		// The owner makes a new link: the old one stops working at once.
		const made = await as('resident').post('/account?/createCalendar', {});
		expect(made.status).toBe(200);
		const fresh = /\/calendar\/([a-z2-7]{32})\.ics/.exec(await made.text())?.[1];
		expect(fresh).toBeTruthy();
		expect((await anonymous.get(`/calendar/${secret}.ics`)).status).toBe(404);
		expect((await anonymous.get(`/calendar/${fresh}.ics`)).status).toBe(200);
		expect((await as('resident').post('/account?/revokeCalendar', {})).status).toBe(200);
		expect((await anonymous.get(`/calendar/${fresh}.ics`)).status).toBe(404);
	});

	it('check the session: visitors are sent to log in, other roles refused, as the matrix says', async () => {
		const expected: Record<string, Partial<Record<Who, number>>> = {
			'/staff/export/dashboard': { anonymous: 303, resident: 403, trainer: 403, doctor: 403, admin: 403 },
			'/me/data/export.json': { anonymous: 303 },
			'/me/data/export.zip': { anonymous: 303 },
			'/me/certificates/<certificate>/pdf': { anonymous: 303, trainer: 404, staff: 404, doctor: 404, admin: 404 },
			'/trainer/sessions/<session>/certificates/pdf': { anonymous: 303, resident: 403, staff: 403, doctor: 403, admin: 403 }
		};
		for (const [path, byWho] of Object.entries(expected)) {
			for (const who of ROLES) {
				const status = byWho[who];
				if (status === undefined) continue;
				const response = await as(who).get(fill(path));
				expect(response.status, `${path} as ${who}`).toBe(status);
				const body = Buffer.from(await response.arrayBuffer()).toString('latin1');
				expect(body.startsWith('%PDF') || body.startsWith('PK') || body.includes('"person"'), `${path} as ${who}: no data`).toBe(false);
			}
		}
	});

	it('refuse every method but GET', async () => {
		for (const path of [
			'/calendar/<secret>.ics',
			'/staff/export/dashboard',
			'/me/data/export.json',
			'/me/certificates/<certificate>/pdf',
			'/healthz'
		]) {
			for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
				const response = await fetch(new URL(fill(path), setup.portal.url), {
					method,
					redirect: 'manual',
					headers: { origin: setup.portal.url, cookie: [...as('staff').cookies].map(([k, v]) => `${k}=${v}`).join('; ') }
				});
				// 405 from the endpoint, or the staff area's own refusal before it: never a success.
				expect([403, 405], `${method} ${path}`).toContain(response.status);
				await response.arrayBuffer();
			}
		}
	});
});

describe('pages behind log-in', () => {
	const f = () => setup.fixture;
	// Health data: an appointment with its reason, the doctor's day, a person's record, a family member's page.
	const pages: [Who, () => string][] = [
		['resident', () => `/me/appointments/${f().appointment}`],
		['resident', () => `/me/household/${f().member}`],
		['resident', () => '/me/data'],
		['doctor', () => '/doctor'],
		['staff', () => `/staff/people/${f().residentPerson}`],
		['resident', () => '/'],
		['anonymous', () => '/me/appointments']
	];

	it('are never kept by a cache (Cache-Control: no-store), nor is the log-in redirect in front of them', async () => {
		for (const [who, path] of pages) {
			const response = await as(who).get(path());
			await response.arrayBuffer();
			expect(response.status, `${who} ${path()}`).toBe(path() === '/me/appointments' ? 303 : 200);
			expect(response.headers.get('cache-control'), `${who} ${path()}`).toBe('no-store');
		}
	});
});

describe('a form sent in a format no form uses', () => {
	const json = { 'content-type': 'application/json' };

	it('says what is wrong (415), in both languages, instead of "Internal error"', async () => {
		const page = await as('anonymous').post('/verify', new URLSearchParams({ number: '{}' }), json);
		expect(page.status).toBe(415);
		const html = await page.text();
		expect(html).toContain('无法读取这次提交');
		expect(html).toContain('Forms must be sent as web forms');

		const enhanced = await as('resident').post('/account?/profile', new URLSearchParams(), {
			...json,
			accept: 'application/json',
			'x-sveltekit-action': 'true'
		});
		expect(enhanced.status).toBe(415);
		const result = (await enhanced.json()) as { type: string; error: { message: string } };
		expect(result.type).toBe('error');
		expect(result.error.message).toContain('表单只能按网页表单的格式提交');
		expect(result.error.message).toContain('Forms must be sent as web forms');
		expect(result.error.message).not.toContain('Internal error');
	});
});
