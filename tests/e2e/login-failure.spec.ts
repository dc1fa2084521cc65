/**
 * Issue 3: a wrong password and an unknown account get one and the same answer, which does not say
 * whether the account exists. Failed log-ins count against the throttle (5 per login, 20 per
 * address for the whole run): this file fails two per project, four per run, each on a fresh phone.
 */
import { expect, test, type Page } from '@playwright/test';
import { freshPhone, logIn, newResident, registerResident, submitLogin } from './support';

const FAILED = '手机号/邮箱或密码不正确';

/** What the refused log-in page says: the alert, and the whole main region's text. */
async function refusal(page: Page) {
	const alert = page.getByRole('alert');
	await expect(alert).toBeVisible();
	return { alert: (await alert.innerText()).trim(), main: (await page.getByRole('main').innerText()).trim() };
}

test('a wrong password and an unknown phone get the same message, then the right password works', async ({ page }, testInfo) => {
	const resident = newResident(testInfo, '周', '建华');
	await registerResident(page, resident);
	// Another browser, where nobody is logged in (log-out itself is the account journey's part).
	await page.context().clearCookies();

	await submitLogin(page, resident.phone, `${resident.password} typo`);
	await expect(page).toHaveURL(/\/login$/);
	const wrongPassword = await refusal(page);
	expect(wrongPassword.alert).toBe(FAILED);
	await expect(page.getByLabel('手机号或电子邮箱')).toHaveValue(resident.phone);
	await expect(page.getByText('已登录：')).toHaveCount(0);

	const unknown = freshPhone(testInfo);
	await submitLogin(page, unknown, `${resident.password} typo`);
	await expect(page).toHaveURL(/\/login$/);
	const unknownAccount = await refusal(page);
	expect(unknownAccount.alert).toBe(FAILED);
	await expect(page.getByLabel('手机号或电子邮箱')).toHaveValue(unknown);
	// Nothing else on the page differs either (the typed phone lives in the input, not in the text).
	expect(unknownAccount.main).toBe(wrongPassword.main);
	// And nothing hints at registration ("already registered", "no such account").
	expect(unknownAccount.main).not.toMatch(/注册过|不存在|未注册/);

	// One failure is far below the throttle: the right password still works.
	await logIn(page, resident.phone, resident.password, resident.greeting);
});
