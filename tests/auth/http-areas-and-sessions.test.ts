/**
 * One real portal in demo mode, reached over HTTP as a browser without JavaScript: who may open
 * the staff areas, log-in answers, logging out (here and everywhere), password changes, English
 * pages; then a restart without demo mode on the same database. Keep failed log-ins here well
 * under 20: every request comes from 127.0.0.1, and the per-address throttle counts them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type Locale, type MessageKey } from '../../src/lib/i18n';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/lib/server/demo/seed';
import { onPostgres } from '../helpers/db';
import { because } from '../setup/skip-reason';
import { Client } from '../helpers/http';
import { alertMessage, HAN_OR_CJK_PUNCTUATION, heading, Portal } from './portal';

const AREAS = ['staff', 'admin', 'trainer', 'doctor'] as const;
type Area = (typeof AREAS)[number];
const ICP_NUMBER = '粤ICP备12345678号-1';
const SESSION_COOKIE = 'hd_session';
const NEW_PASSWORD = 'lanterns along the east gate';

const zh = (key: MessageKey) => translate('zh-CN', key);

/** The demo account that holds `role` (the resident holds nothing else). */
function demoAccount(role: Area | 'resident') {
	const account = DEMO_ACCOUNTS.find((a) => a.roles.some((r) => r.role === role) && (role !== 'resident' || a.roles.length === 1));
	if (!account) throw new Error(`no demo account for ${role}`);
	return account;
}

let portal: Portal;
/** Every phone number, name, password and token these tests used, for the log check. */
const secrets = new Set<string>([DEMO_PASSWORD, NEW_PASSWORD]);
for (const a of DEMO_ACCOUNTS) {
	for (const s of [a.phone, `${a.familyName}${a.givenName}`, a.givenName, a.displayName]) if (s) secrets.add(s);
}

beforeAll(async () => {
	({ portal } = await Portal.create(async () => null));
	await portal.start({ DEMO: '1', ICP_NUMBER });
});
afterAll(() => portal?.close());

const visitor = () => new Client(portal.url);

async function signIn(role: Area | 'resident', password = DEMO_PASSWORD): Promise<Client> {
	const client = visitor();
	const response = await client.login(demoAccount(role).phone, password);
	expect(response.status, `log-in of the ${role}`).toBe(303);
	expect(client.cookies.has(SESSION_COOKIE)).toBe(true);
	secrets.add(client.cookies.get(SESSION_COOKIE)!);
	return client;
}

async function page(client: Client, path: string): Promise<{ status: number; location: string | null; html: string }> {
	const response = await client.get(path);
	return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

function isSignedIn(html: string): boolean {
	return html.includes('class="who');
}

describe('the staff areas', () => {
	it.each(AREAS)('send an anonymous visitor who opens /%s to log in, and back there afterwards', async (area) => {
		expect(await page(visitor(), `/${area}`)).toMatchObject({ status: 303, location: `/login?next=%2F${area}` });
		const loginPage = await page(visitor(), `/login?next=%2F${area}`);
		expect(loginPage.html).toContain(zh('login.needed'));
		expect(loginPage.html).toContain(`name="next" value="/${area}"`);
	});

	it.each(AREAS)('send an anonymous POST to /%s to log in, whatever the action', async (area) => {
		for (const path of [`/${area}`, `/${area}?/save`, `/${area}/accounts?/delete`]) {
			const response = await visitor().post(path, { id: '1' });
			expect(response.status, path).toBe(303);
			expect(response.headers.get('location'), path).toMatch(new RegExp(`^/login\\?next=%2F${area}`));
		}
	});

	it.each(AREAS)('show a resident the forbidden page at /%s, in both languages', async (area) => {
		const resident = await signIn('resident');
		const { status, html } = await page(resident, `/${area}`);
		expect(status).toBe(403);
		expect(heading(html)).toBe(zh('error.page.forbidden'));
		expect(html).toContain(translate('en', 'error.page.forbidden'));
		expect(html).not.toContain(zh(`area.${area}.text`));
		expect(html).not.toContain(`href="/${area}"`);
	});

	it.each(AREAS)('refuse a resident’s direct POST to /%s with 403, as a form or as a script would send it', async (area) => {
		const resident = await signIn('resident');
		for (const path of [`/${area}`, `/${area}?/save`, `/${area}/accounts?/delete`]) {
			const asForm = await resident.post(path, { id: '1' });
			expect(asForm.status, path).toBe(403);
			const asScript = await resident.post(path, { id: '1' }, { accept: 'application/json', 'x-sveltekit-action': 'true' });
			expect(asScript.status, path).toBe(403);
		}
		// Still signed in: a refusal is not a log-out.
		expect((await page(resident, '/account')).status).toBe(200);
	});

	it.each(AREAS)('let the %s open their own area, listed in their navigation', async (area) => {
		const holder = await signIn(area);
		const { status, html } = await page(holder, `/${area}`);
		expect(status).toBe(200);
		expect(heading(html)).toBe(zh(`area.${area}.heading`));
		expect(html).toContain(`href="/${area}"`);
	});

	it.each(['staff', 'trainer', 'doctor'] as const)('keep the %s out of the other staff areas', async (area) => {
		const holder = await signIn(area);
		for (const other of AREAS.filter((a) => a !== area)) {
			expect((await page(holder, `/${other}`)).status, other).toBe(403);
			expect((await holder.post(`/${other}?/save`, { id: '1' })).status, other).toBe(403);
		}
	});

	it('bring a visitor who logs in from an area’s redirect back to that area', async () => {
		const staff = visitor();
		const response = await staff.post('/login?next=%2Fstaff', {
			login: demoAccount('staff').phone,
			password: DEMO_PASSWORD,
			next: '/staff'
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/staff');
		secrets.add(staff.cookies.get(SESSION_COOKIE)!);
	});
});

describe('logging in', () => {
	it('is a form that posts the fields login and password to /login', async () => {
		const { html } = await page(visitor(), '/login');
		const form = /<form([^>]*)>([\s\S]*?)<\/form>/g;
		const loginForm = [...html.matchAll(form)].find((m) => m[2]!.includes('name="login"'));
		expect(loginForm).toBeDefined();
		const [, attributes, body] = loginForm!;
		expect(attributes).toMatch(/method="POST"/i);
		// No action: the form posts to the page's own address, /login.
		expect(attributes).not.toMatch(/action=/);
		expect(body).toMatch(/<input[^>]*name="login"/);
		expect(body).toMatch(/<input[^>]*name="password"[^>]*type="password"/);
		const response = await visitor().post('/login', { login: demoAccount('resident').phone, password: DEMO_PASSWORD });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
	});

	it('never sends anyone to another site after logging in, whatever `next` says', async () => {
		const site = new URL(portal.url).origin;
		const elsewhere = [
			'//evil.example/',
			'/\\evil.example/',
			'https://evil.example/',
			'/\t/evil.example/',
			'/\n/evil.example/',
			'\t//evil.example/'
		];
		for (const next of elsewhere) {
			const client = visitor();
			const response = await client.post(`/login?next=${encodeURIComponent(next)}`, {
				login: demoAccount('resident').phone,
				password: DEMO_PASSWORD,
				next
			});
			expect.soft(response.status, JSON.stringify(next)).toBe(303);
			expect.soft(new URL(response.headers.get('location')!, portal.url).origin, JSON.stringify(next)).toBe(site);
			// Signed in now, the log-in page itself redirects to `next`.
			const again = await client.get(`/login?next=${encodeURIComponent(next)}`);
			expect.soft(again.status, JSON.stringify(next)).toBe(303);
			expect.soft(new URL(again.headers.get('location')!, portal.url).origin, JSON.stringify(next)).toBe(site);
		}
	});

	it('sets an HttpOnly, SameSite=Lax session cookie for the whole site, valid for 30 days', async () => {
		const response = await visitor().login(demoAccount('resident').phone, DEMO_PASSWORD);
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
		expect(cookie).toBeDefined();
		expect(cookie).toMatch(/;\s*HttpOnly/i);
		expect(cookie).toMatch(/;\s*SameSite=Lax/i);
		expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);
		const expires = new Date(/;\s*Expires=([^;]+)/i.exec(cookie!)![1]!).getTime();
		expect(Math.abs(expires - (Date.now() + 30 * 24 * 3600_000))).toBeLessThan(5 * 60_000);
		secrets.add(cookie!.split(';')[0]!.split('=')[1]!);
	});

	it.each(['zh-CN', 'en'] as const)(
		'answers an unknown account and a wrong password with byte-identical pages (%s)',
		async (locale: Locale) => {
			const unknownPhone = '13912340000';
			const knownPhone = demoAccount('doctor').phone;
			secrets.add(unknownPhone);
			const answer = async (login: string) => {
				const client = visitor();
				if (locale === 'en') client.cookies.set('hd_lang', 'en');
				const response = await client.post('/login', { login, password: 'wrong-password-2026' });
				const html = await response.text();
				return {
					status: response.status,
					session: client.cookies.has(SESSION_COOKIE),
					alert: alertMessage(html),
					// The same page but for the number typed, which is echoed back, and the script nonce.
					page: html.replaceAll(login, '<login>').replace(/nonce="[^"]+"/g, 'nonce')
				};
			};
			const unknown = await answer(unknownPhone);
			const wrong = await answer(knownPhone);
			expect(unknown.alert).toBe(translate(locale, 'login.failed'));
			expect(wrong).toEqual(unknown);
			expect(unknown).toMatchObject({ status: 400, session: false });
		}
	);
});

describe('logging out', () => {
	it('makes a cookie replayed after logging out worthless', async () => {
		const resident = await signIn('resident');
		const token = resident.cookies.get(SESSION_COOKIE)!;
		expect((await page(resident, '/account')).status).toBe(200);

		const out = await resident.post('/logout', {});
		expect(out.status).toBe(303);
		expect(out.headers.get('location')).toBe('/');
		expect(resident.cookies.has(SESSION_COOKIE)).toBe(false);

		const replay = visitor();
		replay.cookies.set(SESSION_COOKIE, token);
		expect(await page(replay, '/account')).toMatchObject({ status: 303, location: '/login?next=%2Faccount' });
		replay.cookies.set(SESSION_COOKIE, token);
		const home = await page(replay, '/');
		expect(home.status).toBe(200);
		expect(isSignedIn(home.html)).toBe(false);
		expect(home.html).toContain('href="/login"');
		// The server also tells the browser to drop the dead cookie.
		expect(replay.cookies.has(SESSION_COOKIE)).toBe(false);
		replay.cookies.set(SESSION_COOKIE, token);
		expect((await page(replay, '/logout')).html).toContain(zh('logout.done'));
		replay.cookies.set(SESSION_COOKIE, token);
		const post = await replay.post('/account?/password', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD });
		expect(post.status).toBe(303);
		expect(post.headers.get('location')).toMatch(/^\/login\?next=/);
	});

	it('everywhere ends the session of another browser too', async () => {
		const phone = await signIn('resident');
		const computer = await signIn('resident');
		expect(isSignedIn((await page(computer, '/')).html)).toBe(true);

		const out = await phone.post('/logout/everywhere', {});
		expect(out.status).toBe(303);
		expect(phone.cookies.has(SESSION_COOKIE)).toBe(false);
		expect(await page(computer, '/account')).toMatchObject({ status: 303, location: '/login?next=%2Faccount' });
		// A new log-in works afterwards.
		expect((await page(await signIn('resident'), '/account')).status).toBe(200);
	});

	it('ignores, rather than fails on, a session cookie that cannot be a token', async () => {
		for (const value of ['%00abc.def', 'abc%00.def', '%E7%8E%8B.%E7%A7%80', '.', 'a.b.c', 'x'.repeat(500)]) {
			const client = visitor();
			client.cookies.set(SESSION_COOKIE, value);
			const home = await page(client, '/');
			expect(home.status, value).toBe(200);
			expect(isSignedIn(home.html), value).toBe(false);
		}
	});

	it.runIf(onPostgres())(
		'(PostgreSQL) refuses every value stored in the session table when sent as the cookie',
		because("needs PostgreSQL (set TEST_DATABASE_URL): reads the running server's session table, which PGlite keeps to that process"),
		async () => {
			const resident = await signIn('resident');
			const id = resident.cookies.get(SESSION_COOKIE)!.split('.')[0]!;
			const row = await portal.liveDb!.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
			const hash = Buffer.from(row.secret_hash);
			const stored = [row.id, String(row.account_id), hash.toString('hex'), hash.toString('base64url'), row.expires_at.toISOString()];
			for (const value of [...stored, ...stored.map((v) => `${row.id}.${v}`)]) {
				const client = visitor();
				client.cookies.set(SESSION_COOKIE, encodeURIComponent(value));
				expect(await page(client, '/account'), value).toMatchObject({ status: 303, location: '/login?next=%2Faccount' });
			}
			expect((await page(resident, '/account')).status).toBe(200);
		}
	);
});

describe('changing the password over HTTP', () => {
	it('logs the other browser out, keeps this one, and only the new password works afterwards', async () => {
		const here = visitor();
		const form = await page(here, '/register');
		const communityId = /<option value="(\d+)"/.exec(form.html)?.[1];
		expect(communityId).toBeDefined();
		const phone = '13712340001';
		for (const s of [phone, '司马', '光明', '司马光明']) secrets.add(s);
		const registered = await here.post('/register', {
			familyName: '司马',
			givenName: '光明',
			phone,
			communityId: communityId!,
			password: DEMO_PASSWORD,
			acceptPrivacy: '1'
		});
		expect(registered.status).toBe(303);
		const there = visitor();
		expect((await there.login(phone, DEMO_PASSWORD)).status).toBe(303);

		const changed = await here.post('/account?/password', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD });
		expect(changed.status).toBe(200);
		expect(await changed.text()).toContain(zh('account.passwordChanged'));

		expect((await page(here, '/account')).status).toBe(200);
		expect(await page(there, '/account')).toMatchObject({ status: 303, location: '/login?next=%2Faccount' });
		expect((await visitor().login(phone, DEMO_PASSWORD)).status).toBe(400);
		expect((await visitor().login(phone, NEW_PASSWORD)).status).toBe(303);
	});

	// Found by the fuzzed forms: the page used to pick its section by the fields sent back, so a
	// profile sent without the family name (a broken client) was refused with nothing marked.
	it('marks the profile fields of a form sent without the family name', async () => {
		const resident = await signIn('resident');
		const refused = await resident.post('/account?/profile', { givenName: '秀英', communityId: 'abc' });
		expect(refused.status).toBe(400);
		const html = await refused.text();
		expect(html).toContain(`id="field-familyName-error">${zh('error.required')}`);
		expect(html).toContain(`id="field-communityId-error">${zh('error.community')}`);
		expect(html).toMatch(/name="familyName"[^>]*aria-describedby="[^"]*field-familyName-error/);
	});
});

describe('the preferences page', () => {
	// Found by the fuzzed forms: a refused choice used to re-render the page with no message at all.
	it('refuses a language or text size it does not offer next to the choice', async () => {
		const client = visitor();
		const language = await client.post('/preferences?/language', { locale: 'fr', next: '/' });
		expect(language.status).toBe(400);
		const html = await language.text();
		expect(html).toContain(`id="locale-error">${zh('error.chooseOne')}`);
		expect(html).toMatch(/<fieldset[^>]*aria-describedby="locale-error"/);
		const size = await client.post('/preferences?/textSize', { next: '/' });
		expect(size.status).toBe(400);
		expect(await size.text()).toContain(`id="large-error">${zh('error.chooseOne')}`);
	});

	it('takes the choice and sends a `next` that is no page of this site home', async () => {
		for (const next of ['x'.repeat(3000), 'line\u0000break', '//evil.example']) {
			const switched = await visitor().post('/preferences?/textSize', { large: '1', next });
			expect(switched.status, next.slice(0, 20)).toBe(303);
			expect(switched.headers.get('location')).toBe('/');
		}
	});
});

describe('pages in English', () => {
	/** The page without what may be Chinese on an English page: scripts, lang="zh-CN" parts, names, the ICP number. */
	function chineseOutsideAllowed(html: string, names: string[] = []): string[] {
		let text = html
			.replace(/<script[\s\S]*?<\/script>/g, '')
			.replace(/<(\w+)[^>]*\slang="zh-CN"[^>]*>[\s\S]*?<\/\1>/g, '')
			.replaceAll(ICP_NUMBER, '');
		for (const name of names) text = text.replaceAll(name, '');
		return [...text.matchAll(new RegExp(`.{0,40}${HAN_OR_CJK_PUNCTUATION.source}+.{0,20}`, 'gu'))].map((m) => m[0]);
	}

	it('show a visitor no Chinese outside the switch to Chinese and the ICP number', async () => {
		const client = visitor();
		client.cookies.set('hd_lang', 'en');
		for (const path of ['/', '/login', '/login?next=%2Fstaff', '/register', '/privacy', '/logout', '/no-such-page']) {
			const { html } = await page(client, path);
			expect(html, path).toMatch(/<html lang="en"/);
			expect(chineseOutsideAllowed(html), path).toEqual([]);
		}
		const refused = await client.post('/login', { login: '', password: '' });
		expect(chineseOutsideAllowed(await refused.text())).toEqual([]);
	});

	it('show a signed-in trainer who switched to English no Chinese outside their name', async () => {
		const trainer = await signIn('trainer');
		const switched = await trainer.post('/preferences?/language', { locale: 'en', next: '/account' });
		expect(switched.status).toBe(303);
		expect(switched.headers.get('location')).toBe('/account');
		const a = demoAccount('trainer');
		const names = [`${a.familyName}${a.givenName}`, a.familyName, a.givenName];
		for (const path of ['/', '/account', '/trainer', '/doctor', '/preferences', '/logout']) {
			const { html } = await page(trainer, path);
			expect(html, path).toMatch(/<html lang="en"/);
			expect(chineseOutsideAllowed(html, names), path).toEqual([]);
		}
		// The account remembers it: a new browser without the cookie gets English after log-in.
		const elsewhere = await signIn('trainer');
		expect((await page(elsewhere, '/')).html).toMatch(/<html lang="en"/);
		await elsewhere.post('/preferences?/language', { locale: 'zh-CN', next: '/' });
	});
});

describe('a restart without demo mode on the same database', () => {
	let adminBefore: Client;

	beforeAll(async () => {
		adminBefore = await signIn('admin');
		expect((await page(adminBefore, '/admin')).status).toBe(200);
		await portal.stop();
		await portal.start({ DEMO: '0', ICP_NUMBER });
	});

	it('lets no demo account log in', async () => {
		for (const account of DEMO_ACCOUNTS) {
			const client = visitor();
			const response = await client.login(account.phone, DEMO_PASSWORD);
			expect(response.status, account.phone).toBe(400);
			expect(client.cookies.has(SESSION_COOKIE), account.phone).toBe(false);
			// Disabled (or gone): either answer is right, as long as nobody gets in.
			expect([zh('login.disabled'), zh('login.failed')], account.phone).toContain(alertMessage(await response.text()));
		}
	});

	it('ends the sessions demo accounts had before', async () => {
		const sameBrowser = visitor();
		sameBrowser.cookies.set(SESSION_COOKIE, adminBefore.cookies.get(SESSION_COOKIE)!);
		expect(await page(sameBrowser, '/admin')).toMatchObject({ status: 303, location: '/login?next=%2Fadmin' });
	});

	it('leaves every demo account disabled and without a session in the database', async () => {
		const phones = DEMO_ACCOUNTS.map((a) => a.phone);
		const { accounts, sessions } = await portal.inspect(async (db) => ({
			accounts: await db.selectFrom('account').select(['login_phone', 'disabled_at']).where('login_phone', 'in', phones).execute(),
			sessions: await db
				.selectFrom('session')
				.innerJoin('account', 'account.id', 'session.account_id')
				.select('session.id')
				.where('account.login_phone', 'in', phones)
				.execute()
		}));
		expect(accounts.map((a) => a.login_phone).sort()).toEqual([...phones].sort());
		for (const account of accounts) expect(account.disabled_at, account.login_phone!).toBeInstanceOf(Date);
		expect(sessions).toEqual([]);
	});

	it('printed no phone number, name, password or session token in the server output', () => {
		const output = portal.output();
		expect(output).toContain('"event":"started"');
		expect([...secrets].filter((s) => output.includes(s))).toEqual([]);
	});
});
