/**
 * Issue 3: "an English page contains no Chinese characters outside names and the language switch".
 * After switching to English, the text a reader meets (title, visible body text, select options,
 * labels) holds no CJK character, except inside elements marked lang="zh…" (the switch button,
 * the other-language line of the error pages) and the names of the people concerned.
 */
import { expect, test, type Page } from '@playwright/test';
import { chineseLeftOn, newResident, open, registerResident, submitLogin, switchToEnglish } from './support';

async function expectEnglishOnly(page: Page, path: string, names: string[], status = 200) {
	const response = await open(page, path);
	expect(response?.status(), path).toBe(status);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('button', { name: '切换到中文' })).toHaveAttribute('lang', /^zh/);
	expect(await chineseLeftOn(page, names), `Chinese text left on the English page ${path}`).toEqual([]);
}

test('a visitor who switched to English sees no Chinese on the public pages', async ({ page }) => {
	await open(page, '/');
	await switchToEnglish(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Healthy Dongmen');

	for (const path of ['/', '/login', '/register', '/privacy']) await expectEnglishOnly(page, path, []);
	await expectEnglishOnly(page, '/no-such-page', [], 404);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});

test('a resident who switched to English sees no Chinese but names on their pages', async ({ page }, testInfo) => {
	const resident = newResident(testInfo, '欧阳', '春花');
	const names = [resident.greeting, resident.familyName, resident.givenName];
	await registerResident(page, resident, '湖贝社区');
	await switchToEnglish(page);
	await expect(page.getByText(`Logged in: ${resident.greeting}`)).toBeVisible();

	for (const path of ['/', '/account', '/preferences', '/logout', '/privacy']) await expectEnglishOnly(page, path, names);
	await expect(page.getByText(`Logged in: ${resident.greeting}`)).toBeVisible();
	await expectEnglishOnly(page, '/no-such-page', names, 404);
	await expectEnglishOnly(page, '/admin', names, 403);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not allowed');

	// The choice belongs to the account: a browser without cookies that logs in gets English at once.
	await page.context().clearCookies();
	await open(page, '/');
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await submitLogin(page, resident.phone, resident.password);
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByText(`Logged in: ${resident.greeting}`)).toBeVisible();
	await expectEnglishOnly(page, '/account', names);
});
