/**
 * Shared steps of the account journeys. Every journey makes its own people (fresh phone numbers),
 * so that files running in parallel against one server never depend on each other's state. The
 * demo accounts are only read (never switched to English or larger text), for the same reason.
 *
 * Budgets on the one shared server, counted over both projects (`js` and `no-js`):
 * - registrations: at most 20 per hour from one address (only valid forms count);
 * - failed log-ins: 20 from one address block every further attempt, so the journeys stay far below.
 */
import { expect, test, type Page, type Response, type TestInfo } from '@playwright/test';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/lib/server/demo/seed';

export { DEMO_PASSWORD };

type DemoRole = 'resident' | 'trainer' | 'doctor' | 'staff' | 'admin';

/**
 * One demo account per role, read from the seed itself (DEMO=1 on the journeys' fresh database):
 * the resident is the account that is nothing else; each other role, the first account holding it.
 * `greeting` is what the header shows after 已登录: the display name, or the full name.
 */
export function demoAccount(role: DemoRole): { phone: string; greeting: string } {
	const account = DEMO_ACCOUNTS.find((a) =>
		role === 'resident' ? a.roles.every((r) => r.role === 'resident') : a.roles.some((r) => r.role === role)
	);
	if (!account) throw new Error(`no demo account holds the role ${role}`);
	return { phone: account.phone, greeting: account.displayName ?? `${account.familyName}${account.givenName}` };
}

/** The same accounts by role (other journeys import this: keep it). */
export const DEMO = {
	resident: demoAccount('resident'),
	trainer: demoAccount('trainer'),
	doctor: demoAccount('doctor'),
	staff: demoAccount('staff'),
	admin: demoAccount('admin')
} as const;

let sequence = 0;

/**
 * Opens a page the way a person arrives (a full load). With JavaScript, also waits until the
 * scripts have loaded and the page is hydrated: what is typed before that is lost (see the
 * "typed before the script" journey in register-errors.spec.ts).
 */
export async function open(page: Page, path: string): Promise<Response | null> {
	const response = await page.goto(path);
	await hydrated(page);
	return response;
}

/** After a full load (goto, reload) with JavaScript: waits until nothing more is being fetched. */
export async function hydrated(page: Page): Promise<void> {
	if (test.info().project.use.javaScriptEnabled !== false) await page.waitForLoadState('networkidle');
}

/**
 * A mobile number no other test of this run uses: 19, the worker's slot, six digits of the clock
 * and a per-worker counter (1[3-9] followed by nine digits, like a real one).
 */
export function freshPhone(testInfo: TestInfo): string {
	sequence = (sequence + 1) % 100;
	const slot = testInfo.parallelIndex % 10;
	const clock = String(Date.now() % 1_000_000).padStart(6, '0');
	return `19${slot}${clock}${String(sequence).padStart(2, '0')}`;
}

export type Resident = {
	phone: string;
	password: string;
	familyName: string;
	givenName: string;
	/** What the header shows after 已登录： (no display name: the full name). */
	greeting: string;
};

export function newResident(testInfo: TestInfo, familyName = '张', givenName = '晓梅'): Resident {
	const phone = freshPhone(testInfo);
	return {
		phone,
		password: `bamboo lantern ${phone.slice(-4)} river`,
		familyName,
		givenName,
		greeting: `${familyName}${givenName}`
	};
}

/** The page's main navigation, in either language. */
export const mainNav = (page: Page) => page.getByRole('navigation', { name: /主导航|Main navigation/ });

/** Registers through the form at /register (in Chinese) and checks that it lands home, logged in. */
export async function registerResident(page: Page, resident: Resident, community = '东门社区'): Promise<void> {
	await open(page, '/register');
	await page.getByLabel('姓', { exact: true }).fill(resident.familyName);
	await page.getByLabel('名', { exact: true }).fill(resident.givenName);
	await page.getByLabel(/^手机号/).fill(resident.phone);
	await page.getByLabel('所在社区').selectOption({ label: community });
	await page.getByLabel('密码', { exact: true }).fill(resident.password);
	await page.getByRole('checkbox', { name: '我已阅读并同意《隐私声明》' }).check();
	await page.getByRole('button', { name: '注册', exact: true }).click();
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByText(`已登录：${resident.greeting}`)).toBeVisible();
}

/** Fills and sends the log-in form at /login (Chinese labels; fields `login` and `password`). */
export async function submitLogin(page: Page, login: string, password: string): Promise<void> {
	await open(page, '/login');
	await page.getByLabel('手机号或电子邮箱').fill(login);
	await page.getByLabel('密码', { exact: true }).fill(password);
	await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** Logs in and checks that the header greets the person. */
export async function logIn(page: Page, login: string, password: string, greeting: string): Promise<void> {
	await submitLogin(page, login, password);
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByText(`已登录：${greeting}`)).toBeVisible();
}

/** The header's log-out button, in either language; afterwards the header offers log-in again. */
export async function logOut(page: Page): Promise<void> {
	await page.getByRole('button', { name: /^(退出登录|Log out)$/ }).click();
	await expect(page.getByRole('link', { name: /^(登录|Log in)$/ })).toBeVisible();
	await expect(page.getByRole('button', { name: /^(退出登录|Log out)$/ })).toHaveCount(0);
}

/** The header's language button while the page is in Chinese. */
export async function switchToEnglish(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Switch to English' }).click();
	await expect(page.getByRole('button', { name: '切换到中文' })).toBeVisible();
}

/** Any CJK ideograph (Extension A and the unified block). */
export const CJK = /[\u3400-\u9fff]/;

/**
 * The text a reader meets on the page, each piece with where it is: the document title, visible
 * text nodes of the body, the options of selects, and the accessible labels and titles of visible
 * elements. Anything inside a body element whose nearest `lang` says Chinese is left out (the
 * language switch, the other-language line of the error pages); `<html lang>` is not a way out.
 */
export async function readerTexts(page: Page): Promise<{ where: string; text: string }[]> {
	return page.evaluate(() => {
		const out: { where: string; text: string }[] = [];
		// Only marks inside the body count: <html lang> is the page's language, asserted on its own.
		const chinese = (el: Element) => (el.closest('body [lang]')?.getAttribute('lang') ?? '').toLowerCase().startsWith('zh');
		const describe = (el: Element) => {
			const id = el.id ? `#${el.id}` : '';
			const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
			return `${el.tagName.toLowerCase()}${id}${cls}`;
		};
		out.push({ where: 'title', text: document.title });
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const parent = node.parentElement;
			const text = node.textContent?.trim() ?? '';
			if (!parent || text === '' || chinese(parent)) continue;
			if (parent.closest('script, style, template, noscript')) continue;
			// Options have no box of their own; they count when their select is visible.
			const box = parent.closest('select') ?? parent;
			if (!box.checkVisibility({ visibilityProperty: true })) continue;
			out.push({ where: describe(parent), text });
		}
		for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
			if (chinese(el) || !el.checkVisibility({ visibilityProperty: true })) continue;
			for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
				const value = el.getAttribute(attr);
				if (value) out.push({ where: `${describe(el)}[${attr}]`, text: value });
			}
		}
		return out;
	});
}

/** The pieces of text that still hold a CJK character once the given names are taken out. */
export async function chineseLeftOn(page: Page, names: string[]): Promise<string[]> {
	const longestFirst = [...names].sort((a, b) => b.length - a.length);
	return (await readerTexts(page))
		.map(({ where, text }) => ({ where, text, rest: longestFirst.reduce((t, name) => t.split(name).join(' '), text) }))
		.filter(({ rest }) => CJK.test(rest))
		.map(({ where, text }) => `${where}: ${text}`);
}
