import { expect, test } from '@playwright/test';

test('a visitor opens the home page in Chinese and finds the three ways in', async ({ page }) => {
	const response = await page.goto('/');
	expect(response?.status()).toBe(200);
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('健康东门');
	for (const name of ['家庭医生工作室', '社区健身场地', '急救培训']) {
		await expect(page.getByRole('heading', { level: 3, name })).toBeVisible();
	}
});

test('the skip link takes a keyboard user straight to the content', async ({ page }) => {
	await page.goto('/');
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: '跳到主要内容' });
	await expect(skip).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/#main$/);
});

test('an unknown address shows a friendly page in both languages', async ({ page }) => {
	const response = await page.goto('/no-such-page');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('找不到这个页面');
	await expect(page.getByRole('link', { name: /返回首页/ })).toHaveAttribute('href', '/');
});
