/**
 * Issue 3, the resident's whole way through the shell: register → log out → log in → English →
 * larger text → log out. Runs with and without JavaScript: every step is a plain HTML form.
 */
import { expect, test, type Page } from '@playwright/test';
import { hydrated, logIn, logOut, mainNav, newResident, open, registerResident, switchToEnglish } from './support';

const rootFontSize = (page: Page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

test('a new resident registers, logs in, switches to English and larger text, and logs out', async ({ page }, testInfo) => {
	const resident = newResident(testInfo, '张', '晓梅');

	await test.step('register with a phone, Chinese names, a community and the privacy notice', async () => {
		await registerResident(page, resident, '立新社区');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('健康东门');
		await expect(page.getByText(`${resident.greeting}，您好`)).toBeVisible();
		await expect(mainNav(page).getByRole('link', { name: '我的账户' })).toBeVisible();
		await expect(page.getByRole('link', { name: '登录', exact: true })).toHaveCount(0);
	});

	await test.step('log out', async () => {
		await logOut(page);
		await expect(page.getByText(`已登录：${resident.greeting}`)).toHaveCount(0);
		await expect(mainNav(page).getByRole('link', { name: '我的账户' })).toHaveCount(0);
	});

	await test.step('log in with the phone and password at /login', async () => {
		await logIn(page, resident.phone, resident.password, resident.greeting);
		await mainNav(page).getByRole('link', { name: '我的账户' }).click();
		await expect(page).toHaveURL(/\/account$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的账户');
	});

	// <html lang> and its class are checked softly: when they are wrong, the journey still goes on
	// and reports every later step too.
	await test.step('switch to English: the page and <html lang> become English', async () => {
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await switchToEnglish(page);
		await expect(page).toHaveURL(/\/account$/);
		await expect.soft(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('My account');
		await expect(page.getByText(`Logged in: ${resident.greeting}`)).toBeVisible();
	});

	await test.step('English stays on the next page', async () => {
		await mainNav(page).getByRole('link', { name: 'Home' }).click();
		await expect(page).toHaveURL(/\/$/);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Healthy Dongmen');
		await expect.soft(page.locator('html')).toHaveAttribute('lang', 'en');
		await page.reload();
		await hydrated(page);
		await expect.soft(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByRole('heading', { level: 3, name: 'First-aid training' })).toBeVisible();
	});

	await test.step('turn on larger text: html gets text-large and the root font grows', async () => {
		const html = page.locator('html');
		const toggle = page.getByRole('button', { name: 'Larger text' });
		await expect(html).not.toHaveClass(/\btext-large\b/);
		await expect(toggle).toHaveAttribute('aria-pressed', 'false');
		const before = await rootFontSize(page);

		await toggle.click();
		await expect(toggle).toHaveAttribute('aria-pressed', 'true');
		await expect.soft(html).toHaveClass(/\btext-large\b/);
		await expect.poll(() => rootFontSize(page)).toBeGreaterThan(before);

		// Kept with the account: a fresh load of another page is still large and English.
		await open(page, '/privacy');
		await expect(html).toHaveClass(/\btext-large\b/);
		await expect(html).toHaveAttribute('lang', 'en');
		expect(await rootFontSize(page)).toBeGreaterThan(before);
	});

	await test.step('log out: the header offers log-in again, still in English', async () => {
		await logOut(page);
		await expect(page.getByRole('link', { name: 'Log in', exact: true })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Register', exact: true })).toBeVisible();
		await expect(page.getByText(`Logged in: ${resident.greeting}`)).toHaveCount(0);
		await expect.soft(page.locator('html')).toHaveAttribute('lang', 'en');
	});
});
