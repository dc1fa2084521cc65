import { expect, test } from '@playwright/test';
import { latestLinkTo } from './database';
import { DEMO, DEMO_PASSWORD, freshPhone, logIn, logOut, newResident, open, registerResident, switchToEnglish } from './support';

test('a resident resets a forgotten password through the link sent by SMS, in English', async ({ page }, testInfo) => {
	const resident = newResident(testInfo, '周', '玉兰');
	await registerResident(page, resident);
	await switchToEnglish(page);
	await logOut(page);

	await open(page, '/login');
	await page.getByRole('link', { name: 'Forgot your password?' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reset your password');
	await page.getByLabel('Mobile number or e-mail').fill(resident.phone);
	await page.getByRole('button', { name: 'Send the link' }).click();
	await expect(page.getByRole('status')).toContainText('If an account uses this mobile number or e-mail');

	const link = await latestLinkTo(resident.phone);
	await open(page, new URL(link).pathname);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set a new password');
	await page.getByLabel('New password').fill('12345678');
	await page.getByRole('button', { name: 'Save the new password' }).click();
	await expect(page.getByText('This password is too common')).toBeVisible();
	await page.getByLabel('New password').fill('paper boats on the river');
	await page.getByRole('button', { name: 'Save the new password' }).click();
	await expect(page).toHaveURL(/\/login\?reset=done$/);
	await expect(page.getByRole('status')).toContainText('Your new password is set');

	await page.getByLabel('Mobile number or e-mail').fill(resident.phone);
	await page.getByLabel('Password', { exact: true }).fill('paper boats on the river');
	await page.getByRole('button', { name: 'Log in', exact: true }).click();
	await expect(page.getByText(`Logged in: ${resident.greeting}`)).toBeVisible();

	// The link worked once.
	await open(page, new URL(link).pathname);
	await expect(page.getByRole('alert')).toContainText('This link was used already');
});

test('staff register a walk-in at the counter and print a password slip, in Chinese', async ({ page }, testInfo) => {
	const phone = freshPhone(testInfo);
	await logIn(page, DEMO.staff.phone, DEMO_PASSWORD, DEMO.staff.greeting);
	await open(page, '/staff');
	await page.getByRole('link', { name: '登记新居民（窗口办理）' }).click();
	await page.getByLabel('姓', { exact: true }).fill('黄');
	await page.getByLabel('名', { exact: true }).fill('大爷');
	await page.getByLabel(/^手机号/).fill(phone);
	await page.getByLabel(/^出生年份/).fill('1941');
	await page.getByLabel('所在社区').selectOption({ label: '东门社区' });
	await page.getByLabel('同时开通账户（需要手机号或电子邮箱）').check();
	await page.getByRole('button', { name: '登记', exact: true }).click();

	await expect(page.getByRole('heading', { level: 1 })).toHaveText('居民档案：黄大爷');
	await expect(page.getByRole('status')).toHaveText('居民已登记');
	await expect(page.getByText(`登录名：${phone}`)).toBeVisible();
	await page.getByRole('button', { name: '生成设置密码的链接并打印' }).click();

	await expect(page.getByRole('heading', { level: 1 })).toHaveText('健康东门 · 设置密码');
	await expect(page.getByText('居民：黄大爷')).toBeVisible();
	const qr = page.locator('.qr svg');
	await expect(qr).toBeVisible();
	const link = (await page.locator('.link code').textContent())!.trim();
	expect(link).toMatch(/\/reset\/[a-z2-7]{32}$/);
	// Printed, the slip is all there is on the page.
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('banner')).toBeHidden();
	await expect(page.getByRole('contentinfo')).toBeHidden();
	await page.emulateMedia({ media: 'screen' });

	await logOut(page);
	await open(page, new URL(link).pathname);
	await expect(page.getByText(`账户：${phone}`)).toBeVisible();
	await page.getByLabel('新密码').fill('green tea every morning');
	await page.getByRole('button', { name: '保存新密码' }).click();
	await logIn(page, phone, 'green tea every morning', '黄大爷');
});
