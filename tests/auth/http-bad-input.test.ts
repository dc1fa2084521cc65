/**
 * One real portal without demo mode: bad input to /register and /login gets a 400 with the field's
 * message in the reader's language and writes nothing; log-in throttling as a browser sees it; no
 * demo account exists; the server prints no personal data.
 *
 * "Writes nothing" is counted row by row after every request on PostgreSQL, where the test can
 * read the server's database while it runs. On PGlite the server owns the data directory, so the
 * last test counts every table after the server stopped: only the one correct registration is there.
 * Failed log-ins all come from 127.0.0.1: keep them under the per-address threshold of 20.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type Locale, type MessageKey, type Params } from '../../src/lib/i18n';
import { shanghaiDate } from '../../src/lib/server/clock';
import type { Database } from '../../src/lib/server/db/schema';
import { DEMO_ACCOUNTS, DEMO_COMMUNITIES, DEMO_PASSWORD } from '../../src/lib/server/demo/seed';
import { createAccount, createCommunity, FACTORY_PASSWORD, rowCounts } from '../helpers/factories';
import { Client } from '../helpers/http';
import { alertMessage, fieldMessage, fieldsWithMessages, HAN_OR_CJK_PUNCTUATION, Portal } from './portal';

const TABLES = ['person', 'community_membership', 'account', 'account_role', 'session', 'audit_log'] as const;
const LOGIN_TABLES = [...TABLES, 'throttle'] as const;
const PASSWORD = 'morning tai chi by the river';
// The portal's year is Shanghai's (UTC+8), not the machine's UTC one.
const THIS_YEAR = Number(shanghaiDate(new Date()).slice(0, 4));

type Seeded = { communityId: number; existing: { login: string; email: string }; counts: Record<string, number> };

async function seed(db: Kysely<Database>): Promise<Seeded> {
	const community = await createCommunity(db, { nameZh: '东门测试社区', nameEn: 'Dongmen test community' });
	const email = 'huang.lihua@example.cn';
	const existing = await createAccount(db, { communityId: community.id, familyName: '黄', givenName: '丽华', email });
	return { communityId: community.id, existing: { login: existing.login, email }, counts: await rowCounts(db, [...LOGIN_TABLES]) };
}

let portal: Portal;
let seeded: Seeded;
let phoneCounter = 0;
/** Phone numbers of this file: 137 + 8 digits, never one the factories make (139…). */
const freshPhone = () => `1371234${String(++phoneCounter).padStart(4, '0')}`;
const usedPhones: string[] = [];

beforeAll(async () => {
	({ portal, seeded } = await Portal.create(seed));
	await portal.start({ DEMO: '0' });
});
afterAll(() => portal?.close());

function client(locale: Locale): Client {
	const c = new Client(portal.url);
	if (locale === 'en') c.cookies.set('hd_lang', 'en');
	return c;
}

/** Runs `send` and, on PostgreSQL, checks that no table gained or lost a row. */
async function expectNothingWritten<T>(tables: readonly (keyof Database)[], send: () => Promise<T>): Promise<T> {
	const db = portal.liveDb;
	const before = db ? await rowCounts(db, [...tables]) : null;
	const result = await send();
	if (db) expect(await rowCounts(db, [...tables])).toEqual(before);
	return result;
}

type Body = Record<string, string> | URLSearchParams | FormData;

function registration(overrides: Record<string, string | null> = {}): Record<string, string> {
	const phone = freshPhone();
	usedPhones.push(phone);
	const form: Record<string, string | null> = {
		familyName: '林',
		givenName: '小梅',
		displayName: '',
		phone,
		email: '',
		birthYear: '1956',
		communityId: String(seeded.communityId),
		password: PASSWORD,
		acceptPrivacy: '1',
		...overrides
	};
	return Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => e[1] !== null));
}

function twice(form: Record<string, string>, name: string, second: string): URLSearchParams {
	const body = new URLSearchParams(form);
	body.append(name, second);
	return body;
}

function withFile(form: Record<string, string>, name: string): FormData {
	const body = new FormData();
	for (const [k, v] of Object.entries(form)) if (k !== name) body.append(k, v);
	body.append(name, new Blob(['林'], { type: 'text/plain' }), 'name.txt');
	return body;
}

type Case = { what: string; body: () => Body; field: string; key: MessageKey; params?: Params };

const REGISTER_CASES: Case[] = [
	{ what: 'an empty family name', body: () => registration({ familyName: '' }), field: 'familyName', key: 'error.required' },
	{ what: 'a blank given name', body: () => registration({ givenName: '   ' }), field: 'givenName', key: 'error.required' },
	{
		what: 'a given name of 41 characters',
		body: () => registration({ givenName: '梅'.repeat(41) }),
		field: 'givenName',
		key: 'error.tooLong',
		params: { max: 40 }
	},
	{
		what: 'a control character in the family name',
		body: () => registration({ familyName: '林\u0000' }),
		field: 'familyName',
		key: 'error.controlChars'
	},
	{
		what: 'a line break in the display name',
		body: () => registration({ displayName: '林\n阿姨' }),
		field: 'displayName',
		key: 'error.controlChars'
	},
	{
		what: 'a right-to-left override in the family name',
		body: () => registration({ familyName: '林\u202e英秀' }),
		field: 'familyName',
		key: 'error.invisibleChars'
	},
	{
		what: 'a zero-width space in the display name',
		body: () => registration({ displayName: '林\u200b阿姨' }),
		field: 'displayName',
		key: 'error.invisibleChars'
	},
	{ what: 'a mobile number of 10 digits', body: () => registration({ phone: '1371234000' }), field: 'phone', key: 'error.phone' },
	{
		what: 'a mobile number that is not mainland',
		body: () => registration({ phone: '+1 415 555 0100' }),
		field: 'phone',
		key: 'error.phone'
	},
	{ what: 'the phone field sent twice', body: () => twice(registration(), 'phone', freshPhone()), field: 'phone', key: 'error.notText' },
	{
		what: 'a file uploaded as the family name',
		body: () => withFile(registration(), 'familyName'),
		field: 'familyName',
		key: 'error.notText'
	},
	{ what: 'a malformed e-mail address', body: () => registration({ email: 'lin@' }), field: 'email', key: 'error.email' },
	{ what: 'neither phone nor e-mail', body: () => registration({ phone: '', email: '' }), field: 'phone', key: 'error.phoneOrEmail' },
	{
		what: 'a password of 7 characters',
		body: () => registration({ password: 'abc1234' }),
		field: 'password',
		key: 'error.tooShort',
		params: { min: 8 }
	},
	{
		what: 'a password of 201 characters',
		body: () => registration({ password: 'x'.repeat(201) }),
		field: 'password',
		key: 'error.tooLong',
		params: { max: 200 }
	},
	{ what: 'a common password', body: () => registration({ password: 'password123' }), field: 'password', key: 'error.passwordCommon' },
	{
		what: 'the mobile number as the password',
		body: () => {
			const form = registration();
			return { ...form, password: form.phone! };
		},
		field: 'password',
		key: 'error.passwordSameAsLogin'
	},
	{ what: 'no community chosen', body: () => registration({ communityId: '' }), field: 'communityId', key: 'error.community' },
	{
		what: 'a community id that is not a number',
		body: () => registration({ communityId: '1 OR 1=1' }),
		field: 'communityId',
		key: 'error.community'
	},
	{
		what: 'a community that does not exist',
		body: () => registration({ communityId: '987654' }),
		field: 'communityId',
		key: 'error.community'
	},
	{
		what: 'a birth year that is not a number',
		body: () => registration({ birthYear: 'nineteen' }),
		field: 'birthYear',
		key: 'error.birthYear',
		params: { min: 1900, max: THIS_YEAR }
	},
	{
		what: 'a birth year in the future',
		body: () => registration({ birthYear: String(THIS_YEAR + 5) }),
		field: 'birthYear',
		key: 'error.birthYear',
		params: { min: 1900, max: THIS_YEAR }
	},
	{
		what: 'the privacy notice not accepted',
		body: () => registration({ acceptPrivacy: null }),
		field: 'acceptPrivacy',
		key: 'error.acceptPrivacy'
	}
];

const LOGIN_CASES: Case[] = [
	{ what: 'an empty login', body: () => ({ login: '', password: FACTORY_PASSWORD }), field: 'login', key: 'error.required' },
	{ what: 'an empty password', body: () => ({ login: seeded.existing.login, password: '' }), field: 'password', key: 'error.required' },
	{
		what: 'a login of 255 characters',
		body: () => ({ login: `${'a'.repeat(244)}@example.cn`, password: FACTORY_PASSWORD }),
		field: 'login',
		key: 'error.tooLong',
		params: { max: 254 }
	},
	{
		what: 'a control character in the login',
		body: () => ({ login: `${seeded.existing.login}\u0007`, password: FACTORY_PASSWORD }),
		field: 'login',
		key: 'error.controlChars'
	},
	{
		what: 'a password of 201 characters',
		body: () => ({ login: seeded.existing.login, password: 'x'.repeat(201) }),
		field: 'password',
		key: 'error.tooLong',
		params: { max: 200 }
	},
	{
		what: 'the login field sent twice',
		body: () => twice({ login: seeded.existing.login, password: FACTORY_PASSWORD }, 'login', '13800000001'),
		field: 'login',
		key: 'error.notText'
	},
	{
		what: 'a file uploaded as the password',
		body: () => withFile({ login: seeded.existing.login }, 'password'),
		field: 'password',
		key: 'error.notText'
	}
];

async function send(path: string, body: Body, locale: Locale) {
	const c = client(locale);
	const response = await c.post(path, body);
	return { status: response.status, html: await response.text(), signedIn: c.cookies.has('hd_session') };
}

describe.each(['zh-CN', 'en'] as const)('bad input to /register (%s)', (locale) => {
	it.each(REGISTER_CASES)('refuses $what with the field message, writing nothing', async ({ body, field, key, params }) => {
		const answer = await expectNothingWritten(TABLES, () => send('/register', body(), locale));
		expect(answer.status).toBe(400);
		expect(answer.signedIn).toBe(false);
		expect(fieldMessage(answer.html, field)).toBe(translate(locale, key, params));
		expect(alertMessage(answer.html)).toBe(translate(locale, 'error.formHasErrors'));
	});

	it('marks every missing required field of an empty form at once', async () => {
		const answer = await expectNothingWritten(TABLES, () => send('/register', {}, locale));
		expect(answer.status).toBe(400);
		expect(fieldsWithMessages(answer.html)).toEqual(['acceptPrivacy', 'communityId', 'familyName', 'givenName', 'password', 'phone']);
		expect(fieldMessage(answer.html, 'familyName')).toBe(translate(locale, 'error.required'));
		expect(fieldMessage(answer.html, 'phone')).toBe(translate(locale, 'error.phoneOrEmail'));
	});

	it('says a registered number is taken, writing nothing', async () => {
		const answer = await expectNothingWritten(TABLES, () => send('/register', registration({ phone: seeded.existing.login }), locale));
		expect(answer.status).toBe(409);
		expect(alertMessage(answer.html)).toBe(translate(locale, 'register.phoneTaken'));
	});
});

describe.each(['zh-CN', 'en'] as const)('bad input to /login (%s)', (locale) => {
	it.each(LOGIN_CASES)('refuses $what with the field message, writing nothing', async ({ body, field, key, params }) => {
		const answer = await expectNothingWritten(LOGIN_TABLES, () => send('/login', body(), locale));
		expect(answer.status).toBe(400);
		expect(answer.signedIn).toBe(false);
		expect(fieldMessage(answer.html, field)).toBe(translate(locale, key, params));
	});

	it('refuses a malformed mobile number with a message next to the field, without counting a failed log-in', async () => {
		const answer = await expectNothingWritten(LOGIN_TABLES, () =>
			send('/login', { login: '1371234000', password: FACTORY_PASSWORD }, locale)
		);
		expect(answer.status).toBe(400);
		const message = fieldMessage(answer.html, 'login');
		expect(message).not.toBeNull();
		expect(HAN_OR_CJK_PUNCTUATION.test(message!)).toBe(locale === 'zh-CN');
	});
});

describe('a portal started without demo mode', () => {
	it('lets no demo account log in: there is none', async () => {
		for (const account of DEMO_ACCOUNTS) {
			const answer = await send('/login', { login: account.phone, password: DEMO_PASSWORD }, 'zh-CN');
			expect(answer.status, account.phone).toBe(400);
			expect(answer.signedIn).toBe(false);
			expect(alertMessage(answer.html)).toBe(translate('zh-CN', 'login.failed'));
		}
	});
});

describe('logging in with the details as people type them', () => {
	it('accepts the e-mail address in any letter case and the number written with +86 and dashes', async () => {
		const phone = seeded.existing.login;
		const spaced = `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
		for (const login of [seeded.existing.email.toUpperCase(), spaced]) {
			const answer = await send('/login', { login, password: FACTORY_PASSWORD }, 'zh-CN');
			expect(answer.status, login).toBe(303);
			expect(answer.signedIn, login).toBe(true);
		}
	});
});

describe('log-in throttling as a browser sees it', () => {
	const WAIT = /^尝试次数过多，请在 (\d+) 秒后再试$/;

	async function sixAttempts(login: string, sixthPassword: string) {
		for (let i = 1; i <= 5; i++) {
			const answer = await send('/login', { login, password: `wrong password ${i}` }, 'zh-CN');
			expect(answer.status, `attempt ${i}`).toBe(400);
			expect(alertMessage(answer.html), `attempt ${i}`).toBe(translate('zh-CN', 'login.failed'));
		}
		const sixth = await send('/login', { login, password: sixthPassword }, 'zh-CN');
		expect(sixth.status).toBe(429);
		expect(sixth.signedIn).toBe(false);
		const message = alertMessage(sixth.html)!;
		const seconds = Number(WAIT.exec(message)?.[1]);
		expect(seconds).toBeGreaterThanOrEqual(25);
		expect(seconds).toBeLessThanOrEqual(30);
		return message.replace(/\d+/, 'N');
	}

	it('makes the sixth attempt wait 30 seconds, even with the right password, in the same words for an unknown number', async () => {
		const known = await sixAttempts(seeded.existing.login, FACTORY_PASSWORD);
		const unknownPhone = freshPhone();
		usedPhones.push(unknownPhone);
		const unknown = await sixAttempts(unknownPhone, FACTORY_PASSWORD);
		expect(unknown).toBe(known);
	});
});

describe('after all of it', () => {
	it('registers the same form with nothing wrong in it', async () => {
		const answer = await send('/register', registration(), 'zh-CN');
		expect(answer.status).toBe(303);
		expect(answer.signedIn).toBe(true);
	});

	it('says whether a number is registered at most 20 times an hour from one address', async () => {
		// Counted so far from this address: the unknown community and the taken number (once per
		// language each) and the correct registration above; each further answer counts one more.
		const countedBefore = 5;
		let taken = 0;
		let answer = await send('/register', registration({ phone: seeded.existing.login }), 'zh-CN');
		while (answer.status === 409 && taken < 30) {
			taken++;
			answer = await send('/register', registration({ phone: seeded.existing.login }), 'zh-CN');
		}
		expect(countedBefore + taken).toBe(20);
		expect(answer.status).toBe(429);
		expect(alertMessage(answer.html)).toMatch(/^操作过于频繁，请在 \d+ 分钟后再试$/);
		// The limit is the address's, not the number's: a new number waits too, and nothing is written.
		const fresh = await expectNothingWritten(TABLES, () => send('/register', registration(), 'en'));
		expect(fresh.status).toBe(429);
		expect(alertMessage(fresh.html)).toMatch(/^Too many attempts; please try again in \d+ minutes$/);
	});

	it('printed no phone number, name, e-mail address or password in the server output', () => {
		const output = portal.output();
		expect(output).toContain('"event":"started"');
		const personal = [
			...usedPhones,
			seeded.existing.login,
			seeded.existing.email,
			'林小梅',
			'小梅',
			'黄丽华',
			'丽华',
			PASSWORD,
			FACTORY_PASSWORD,
			DEMO_PASSWORD,
			...DEMO_ACCOUNTS.map((a) => a.phone)
		];
		expect(personal.filter((p) => output.includes(p))).toEqual([]);
	});

	it('holds only the one correct registration and its log-ins, and no demo community or account (counted after the server stopped)', async () => {
		const { counts, demo } = await portal.inspect(async (db) => ({
			counts: await rowCounts(db, [...TABLES]),
			demo: {
				accounts: await db
					.selectFrom('account')
					.select('id')
					.where(
						'login_phone',
						'in',
						DEMO_ACCOUNTS.map((a) => a.phone)
					)
					.execute(),
				communities: await db
					.selectFrom('community')
					.select('id')
					.where(
						'code',
						'in',
						DEMO_COMMUNITIES.map((c) => c.code)
					)
					.execute()
			}
		}));
		const before = seeded.counts;
		expect(counts).toEqual({
			person: before.person! + 1,
			community_membership: before.community_membership! + 1,
			account: before.account! + 1,
			account_role: before.account_role! + 1,
			session: before.session! + 3, // the registration and the two log-ins above
			audit_log: before.audit_log! + 1
		});
		expect(demo).toEqual({ accounts: [], communities: [] });
	});
});
