/**
 * Issue 12 item 2, WCAG 1.4.4: at 200 % text size nothing is lost on the main pages at 1280 px.
 * Text-only zoom is emulated by doubling the root font size the portal sets (112.5 % → 225 %;
 * every size in the stylesheet is in rem/em). Measured on each page:
 * - the page does not scroll sideways (documentElement.scrollWidth <= clientWidth);
 * - no element that hides its overflow holds more text than it shows (scroll size > client size),
 *   apart from the visually hidden helpers meant to be invisible;
 * - the heading, every link of the main navigation and the key texts given per page are visible
 *   and lie inside the viewport's width.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, logIn, open } from './support';

test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'the measurements run script in the page (js project only)');
test.use({ viewport: { width: 1280, height: 900 } });

async function doubleTextSize(page: Page): Promise<void> {
	await page.addStyleTag({
		content: 'html, html.text-normal { font-size: 225% !important; } html.text-large { font-size: 275% !important; }'
	});
}

type Loss = { overflow: number; clipped: string[]; outside: string[] };

async function measure(page: Page): Promise<Loss> {
	return page.evaluate(() => {
		const root = document.documentElement;
		const describe = (el: Element) =>
			`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
		const clipped: string[] = [];
		for (const el of document.body.querySelectorAll<HTMLElement>('*')) {
			if (el.closest('.visually-hidden, .skip-link, script, style, svg')) continue;
			if (!el.checkVisibility()) continue;
			const s = getComputedStyle(el);
			const hidesX = s.overflowX === 'hidden' || s.overflowX === 'clip';
			const hidesY = s.overflowY === 'hidden' || s.overflowY === 'clip';
			if ((hidesX && el.scrollWidth > el.clientWidth + 1) || (hidesY && el.scrollHeight > el.clientHeight + 1)) clipped.push(describe(el));
			if (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) clipped.push(`${describe(el)} (ellipsis)`);
		}
		const outside: string[] = [];
		for (const el of document.querySelectorAll<HTMLElement>('main h1, header nav a, header .brand')) {
			const r = el.getBoundingClientRect();
			if (!el.checkVisibility() || r.width === 0 || r.left < 0 || r.right > root.clientWidth + 1) outside.push(describe(el));
		}
		return { overflow: root.scrollWidth - root.clientWidth, clipped, outside };
	});
}

async function expectNothingLost(page: Page, path: string, keyTexts: (string | RegExp)[] = []): Promise<void> {
	await open(page, path);
	await doubleTextSize(page);
	const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
	expect(fontSize, 'the root text is twice the usual 18 px').toBeGreaterThanOrEqual(36);
	const loss = await measure(page);
	expect(loss.overflow, `${path}: the page scrolls sideways by ${loss.overflow} px`).toBeLessThanOrEqual(0);
	expect(loss.clipped, `${path}: text cut off`).toEqual([]);
	expect(loss.outside, `${path}: outside the viewport or hidden`).toEqual([]);
	for (const text of keyTexts)
		await expect(page.getByRole('main').getByText(text).first(), `${path}: ${text}`)
			.toBeInViewport({ ratio: 0.99 })
			.catch(async () => {
				// Below the fold is fine; what matters is that it is shown and not cut at the sides.
				await page.getByRole('main').getByText(text).first().scrollIntoViewIfNeeded();
				await expect(page.getByRole('main').getByText(text).first()).toBeInViewport({ ratio: 0.99 });
			});
}

test('at 200 % text the public pages lose nothing at 1280 px', async ({ page }) => {
	test.setTimeout(120_000);
	await expectNothingLost(page, '/', ['健康东门']);
	await expectNothingLost(page, '/doctors', ['家庭医生工作室']);
	await open(page, '/doctors');
	const doctor = await page.locator('main a[href^="/doctors/"]').first().getAttribute('href');
	await expectNothingLost(page, doctor!, [/个空号|今天没有/]);
	await expectNothingLost(page, '/fitness');
	await expectNothingLost(page, '/training');
	await expectNothingLost(page, '/login', ['手机号或电子邮箱']);
	await expectNothingLost(page, '/register', ['我已阅读并同意《隐私声明》']);
	await expectNothingLost(page, '/verify');
	await expectNothingLost(page, '/privacy');
});

test('at 200 % text the resident’s and staff pages lose nothing at 1280 px', async ({ page }) => {
	test.setTimeout(150_000);
	await logIn(page, DEMO.resident.phone, DEMO_PASSWORD, DEMO.resident.greeting);
	for (const path of ['/', '/me/appointments', '/me/reservations', '/me/training', '/me/certificates', '/me/notifications', '/account'])
		await expectNothingLost(page, path);
	await open(page, '/doctors');
	const doctor = await page.locator('main a[href^="/doctors/"]').first().getAttribute('href');
	await open(page, doctor!);
	const slot = await page.locator('main a[href*="/book?start="]').first().getAttribute('href');
	if (slot) await expectNothingLost(page, slot, ['确认预约']);

	await page.context().clearCookies();
	await logIn(page, DEMO.staff.phone, DEMO_PASSWORD, DEMO.staff.greeting);
	for (const path of ['/staff', '/staff/people', '/staff/fitness', '/staff/training', '/staff/coverage'])
		await expectNothingLost(page, path);
});
