/**
 * Issue 12 item 2: axe-core (WCAG 2.0/2.1/2.2 A and AA) over every page of src/routes, as each role
 * allowed to see it, in Chinese and English at desktop width and in Chinese at 320 px, with the
 * states that show form errors and empty lists. Zero violations; nothing is excluded (see AXE_TAGS).
 *
 * Two tests per role and variant, each in one browser context that logs in once. Only in the `js`
 * project: the pages' markup is the same server render in both projects, and in a context with
 * JavaScript off Playwright's own evaluate still works but axe's analyze does not (checked with
 * 4.13: "Target page, context or browser has been closed", in legacy mode too).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { ALL_ROLES, PAGES, routesInSource, type AuditPage, type AuditRole, type PageState } from './a11y-pages';
import { createEnglishDoctor, requireDatabase } from './database';
import { DEMO, DEMO_PASSWORD, freshPhone, logIn, newResident, open, registerResident, switchToEnglish } from './support';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Variant = { name: string; locale: 'zh-CN' | 'en'; width: number };
const VARIANTS: Variant[] = [
	{ name: 'Chinese, desktop', locale: 'zh-CN', width: 1280 },
	{ name: 'English, desktop', locale: 'en', width: 1280 },
	{ name: 'Chinese, 320 px', locale: 'zh-CN', width: 320 }
];

test.describe.configure({ mode: 'parallel' });
test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'axe runs its script in the page (js project only)');

test('the audit itself finds a planted problem (missing alternative text, low contrast, an unlabelled field)', async ({ page }) => {
	await page.goto('/privacy', { waitUntil: 'networkidle' });
	// Outside the app's root element: hydration, which may finish after 'load', leaves it alone.
	await page.evaluate(() => {
		document.body.insertAdjacentHTML(
			'beforeend',
			'<img src="/favicon.svg"><p style="color:#bbb;background:#fff">faint</p><input type="text" name="unlabelled">'
		);
	});
	const found = (await audit(page, 'planted')).join('\n');
	for (const rule of ['image-alt', 'color-contrast', 'label']) expect(found).toContain(`: ${rule} (`);
});

test('every page in src/routes has an entry in the audit list, and no entry is stale', () => {
	const listed = PAGES.map((p) => p.route).sort();
	const inSource = routesInSource();
	expect(
		inSource.filter((r) => !listed.includes(r)),
		'pages without an entry in tests/e2e/a11y-pages.ts'
	).toEqual([]);
	expect(
		listed.filter((r) => !inSource.includes(r)),
		'entries for pages that no longer exist'
	).toEqual([]);
});

/** The English audits of a role log in as an account made for them in the database, not through the outbox. */
const MAKES_ENGLISH_ACCOUNT = 'the English audit writes an English-reading account with the role into the database';

/**
 * A fresh account holding the role, reading `locale` (the demo accounts stay Chinese for the other
 * journeys). Staff hold the role in 东门社区 only, like the demo staff (whose listings the
 * `find` steps read).
 */
async function freshAccount(role: Exclude<AuditRole, 'anonymous'>, phone: string, locale: string): Promise<void> {
	requireDatabase(MAKES_ENGLISH_ACCOUNT);
	if (role === 'doctor') {
		await createEnglishDoctor({ phone, familyName: 'Lin', givenName: 'Hao', patient: ['Zhou', 'Min'] });
		return;
	}
	const client = new pg.Client({ connectionString: requireDatabase(MAKES_ENGLISH_ACCOUNT) });
	await client.connect();
	try {
		await client.query('BEGIN');
		const one = async <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
			(await client.query<T>(text, values)).rows[0]!;
		const { password_hash } = await one<{ password_hash: string }>(`SELECT password_hash FROM account WHERE login_phone = $1`, [
			DEMO.resident.phone
		]);
		const { id: community } = await one<{ id: number }>(`SELECT id FROM community WHERE code = 'dongmen'`);
		const person = await one<{ id: number }>(`INSERT INTO person (family_name, given_name, phone) VALUES ('Lin', 'Hao', $1) RETURNING id`, [
			phone
		]);
		await client.query(`INSERT INTO community_membership (person_id, community_id, valid_from) VALUES ($1, $2, '2020-01-01')`, [
			person.id,
			community
		]);
		const account = await one<{ id: number }>(
			`INSERT INTO account (person_id, login_phone, password_hash, locale, privacy_accepted_at) VALUES ($1, $2, $3, $4, now()) RETURNING id`,
			[person.id, phone, password_hash, locale]
		);
		await client.query(`INSERT INTO account_role (account_id, role) VALUES ($1, 'resident')`, [account.id]);
		if (role !== 'resident') {
			const scope = role === 'staff' ? community : null;
			await client.query(`INSERT INTO account_role (account_id, role, community_id) VALUES ($1, $2, $3)`, [account.id, role, scope]);
		}
		await client.query('COMMIT');
	} catch (error) {
		await client.query('ROLLBACK');
		throw error;
	} finally {
		await client.end();
	}
}

/** The first link on `from` whose address matches. */
async function firstLink(page: Page, from: string, href: RegExp): Promise<string | undefined> {
	await page.goto(from, { waitUntil: 'load' });
	const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
	return hrefs.map((h) => h.split('#')[0]!).find((h) => href.test(h.split('?')[0]!));
}

async function resolve(page: Page, entry: AuditPage): Promise<string | undefined> {
	if (entry.path) return entry.path;
	if (!entry.find) return entry.route;
	const { from, href, suffix = '', then } = entry.find;
	const found = await firstLink(page, from, href);
	if (!found) return undefined;
	return then ? firstLink(page, found, then) : found + suffix;
}

/** Nothing is excluded: no rule is disabled and no selector left out (add one only with its reason here). */
async function audit(page: Page, label: string): Promise<string[]> {
	// Only violations are collected in full: passes and "incomplete" would cost time for nothing.
	const results = await new AxeBuilder({ page })
		.withTags(AXE_TAGS)
		.options({ resultTypes: ['violations'] })
		.analyze();
	return results.violations.map(
		(v) =>
			`${label}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')} :: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`).join('\n    ')}`
	);
}

/** Sends the form holding the button with the browser's own checks off, to see the server's errors. */
async function sendUnchecked(page: Page, button: RegExp | string): Promise<void> {
	const target =
		typeof button === 'string' ? page.locator(button).first() : page.getByRole('main').getByRole('button', { name: button }).first();
	// A short wait: a renamed button should fail here, not at the test's timeout.
	await target.evaluate(
		(b) => {
			const form = (b as HTMLButtonElement).form;
			if (form) form.noValidate = true;
		},
		undefined,
		{ timeout: 10_000 }
	);
	await target.click();
	await page.waitForLoadState('networkidle');
}

/**
 * Each role's pages in two tests (the pages several roles share, and the role's own), so that the
 * two workers share the load and no test runs for many minutes.
 */
const PARTS = [
	{ name: 'shared pages', holds: (p: AuditPage) => p.roles.length > 1 },
	{ name: 'own pages', holds: (p: AuditPage) => p.roles.length === 1 }
];

for (const role of ALL_ROLES) {
	for (const variant of VARIANTS) {
		for (const part of PARTS) {
			test(`axe finds nothing on the ${part.name} of the ${role}: ${variant.name}`, async ({ browser }, testInfo) => {
				test.setTimeout(240_000);
				const context = await browser.newContext({ viewport: { width: variant.width, height: 800 }, locale: variant.locale });
				const page = await context.newPage();
				const english = variant.locale === 'en';
				try {
					if (role === 'anonymous') {
						if (english) {
							const url = new URL(testInfo.project.use.baseURL!);
							await context.addCookies([{ name: 'hd_lang', value: 'en', domain: url.hostname, path: '/' }]);
						}
					} else if (english) {
						const phone = freshPhone(testInfo);
						await freshAccount(role, phone, variant.locale);
						await open(page, '/login');
						await page.getByLabel('手机号或电子邮箱').fill(phone);
						await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
						await page.getByRole('button', { name: '登录', exact: true }).click();
						await expect(page.getByText(/^(Logged in:|已登录：)/)).toBeVisible();
					} else {
						await logIn(page, DEMO[role].phone, DEMO_PASSWORD, DEMO[role].greeting);
					}

					const problems: string[] = [];
					const missing: string[] = [];
					let audited = 0;
					for (const entry of PAGES.filter((p) => p.roles.includes(role) && !p.madeInSpec && part.holds(p))) {
						// Their objects belong to the demo account, which the English audit does not use (see `owned`).
						if (english && entry.owned) continue;
						const path = await resolve(page, entry);
						if (!path) {
							missing.push(entry.route);
							continue;
						}
						const states: PageState[] = [{ name: 'page' }, ...(entry.extra ?? [])];
						for (const state of states) {
							// The server's render is what axe reads; hydration changes no markup it checks.
							const t0 = Date.now();
							const response = await page.goto(state.path ?? path, { waitUntil: 'load' });
							// The role may open the page: a refusal means the list (or the page) is wrong. Made-up
							// addresses (`path`, e.g. an unknown code) may answer "not found".
							const status = response?.status() ?? 0;
							if (status !== (entry.status ?? 200) && !((entry.path || state.path) && status === 404))
								problems.push(`${entry.route} [${state.name}]: status ${status}`);
							await expect(page.locator('html')).toHaveAttribute('lang', variant.locale);
							if (state.submit) await sendUnchecked(page, state.submit);
							problems.push(...(await audit(page, `${entry.route} [${state.name}] ${page.url()}`)));
							audited++;
							if (Date.now() - t0 > 8_000) console.log(`[a11y] slow: ${entry.route} [${state.name}] took ${Date.now() - t0} ms`);
						}
					}
					console.log(`[a11y] ${role}, ${variant.name}, ${part.name}: ${audited} page states audited`);
					expect(missing, 'pages whose demo object was not found').toEqual([]);
					expect(problems, 'axe violations').toEqual([]);
				} finally {
					await context.close();
				}
			});
		}
	}
}

test('axe finds nothing on a fresh resident’s own pages and empty lists, in Chinese, at 320 px and in English', async ({
	page
}, testInfo) => {
	test.setTimeout(180_000);
	const resident = newResident(testInfo, '周', '玉兰');
	await registerResident(page, resident);

	// A family member to look after.
	await open(page, '/me/household');
	await page.getByLabel('姓', { exact: true }).fill('周');
	await page.getByLabel('名', { exact: true }).fill('小宝');
	await page.getByLabel(/^出生年份/).fill('2019');
	await page.getByRole('checkbox', { name: /家人已同意由我代为预约/ }).check();
	await page.getByRole('button', { name: '添加家人' }).click();
	await expect(page.getByRole('status')).toContainText('已添加家人');
	const member = await firstLink(page, '/me/household', /^\/me\/household\/\d+$/);

	// A doctor's appointment to move: the sixth free day (doctors.spec and keyboard.spec use others).
	await open(page, '/doctors');
	await page
		.getByRole('link', { name: /查看 陈志明 医生的空号/ })
		.first()
		.click();
	await page
		.getByRole('link', { name: /\d+ 个空号/ })
		.nth(6)
		.click();
	// The day's last slot: the other journeys take the first.
	await page
		.getByRole('link', { name: /^预约 \d{2}:\d{2}$/ })
		.last()
		.click();
	await page.getByRole('button', { name: '确认预约' }).click();
	await expect(page).toHaveURL(/\/me\/appointments\/\d+\?booked=1$/);
	const appointment = new URL(page.url()).pathname;

	const paths = [
		appointment,
		`${appointment}/reschedule`,
		member!,
		// Empty lists: a new person has no certificates, training or notifications yet.
		'/me/certificates',
		'/me/training',
		'/me/notifications',
		'/me/reservations'
	];
	const problems: string[] = [];
	const pass = async (label: string) => {
		for (const path of paths) {
			await page.goto(path, { waitUntil: 'load' });
			problems.push(...(await audit(page, `${label} ${path}`)));
		}
	};
	await pass('Chinese, desktop');
	await page.setViewportSize({ width: 320, height: 800 });
	await pass('Chinese, 320 px');
	await page.setViewportSize({ width: 1280, height: 800 });
	await open(page, '/');
	await switchToEnglish(page);
	await pass('English, desktop');
	expect(problems, 'axe violations').toEqual([]);
	expect(paths.length).toBe(7);
});
