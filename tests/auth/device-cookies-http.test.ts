/**
 * Targeted lock-out over HTTP (issue 20, finding 12), as browsers without JavaScript: the log-in
 * page gives a browser that logged in a long-lived HttpOnly device cookie; once a stranger has
 * locked the account by failing on purpose, that browser still logs in at once and a new one waits.
 * Every request comes from 127.0.0.1: the stranger's failures stay well under the address's 20.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/lib/i18n';
import { createAccount, FACTORY_PASSWORD } from '../helpers/factories';
import { Client } from '../helpers/http';
import { alertMessage, Portal } from './portal';

const DEVICE_COOKIE = 'hd_device';
const SESSION_COOKIE = 'hd_session';
const WRONG = 'not-the-password-2026';

let portal: Portal;
let login = '';
/** The owner's device cookie after each log-in. */
const tokens: string[] = [];

beforeAll(async () => {
	let seeded: { login: string };
	({ portal, seeded } = await Portal.create((db) => createAccount(db)));
	login = seeded.login;
	await portal.start({});
}, 120_000);
afterAll(() => portal?.close());

describe('the log-in page and device cookies', () => {
	it('keeps the owner’s browser logging in at once while a stranger’s failures make everyone else wait', async () => {
		const owner = new Client(portal.url);
		const first = await owner.login(login, FACTORY_PASSWORD);
		expect(first.status).toBe(303);
		const setCookie = first.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
		expect(setCookie).toMatch(/HttpOnly/i);
		expect(setCookie).toMatch(/SameSite=Lax/i);
		expect(Number(/Max-Age=(\d+)/i.exec(setCookie!)?.[1])).toBeGreaterThan(300 * 24 * 60 * 60);
		tokens.push(owner.cookies.get(DEVICE_COOKIE)!);
		owner.cookies.delete(SESSION_COOKIE); // logged out, or the session ended: the device cookie stays

		const stranger = new Client(portal.url);
		for (let i = 0; i < 5; i++) expect((await stranger.login(login, WRONG)).status).toBe(400);
		const locked = await stranger.login(login, WRONG);
		expect(locked.status).toBe(429);

		const newBrowser = new Client(portal.url);
		const waits = await newBrowser.login(login, FACTORY_PASSWORD);
		expect(waits.status).toBe(429);
		expect(alertMessage(await waits.text())).toBe(translate('zh-CN', 'login.throttled.seconds', { n: 30 }));

		const again = await owner.login(login, FACTORY_PASSWORD);
		expect(again.status).toBe(303);
		expect(owner.cookies.has(SESSION_COOKIE)).toBe(true);
		tokens.push(owner.cookies.get(DEVICE_COOKIE)!);
	});

	it('keeps only a hash of each device cookie, and a log-in replaces the cookie it came with', async () => {
		expect(tokens).toHaveLength(2);
		const rows = await portal.inspect((db) => db.selectFrom('device_cookie').select(['id', 'secret_hash']).execute());
		const [replaced, current] = tokens.map((t) => t.split('.') as [string, string]);
		expect(rows.map((r) => r.id)).toEqual([current![0]]);
		expect(Buffer.from(rows[0]!.secret_hash)).toHaveLength(32);
		expect(Buffer.from(rows[0]!.secret_hash).toString('latin1')).not.toContain(current![1]);
		expect(replaced![0]).not.toBe(current![0]);
	});
});
