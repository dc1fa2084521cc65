/**
 * Issue 4: an admin grants a role limited to one community to a resident found by search, and sees
 * it in the audit log — in Chinese (the demo admin) and in English (a second admin whom the demo
 * admin appoints, because the demo accounts are only read: their language is never switched).
 * Runs with and without JavaScript. Budget: two registrations per project, no failed log-in.
 */
import { expect, test, type Page } from '@playwright/test';
import {
	chineseLeftOn,
	DEMO,
	DEMO_PASSWORD,
	logIn,
	logOut,
	mainNav,
	newResident,
	registerResident,
	switchToEnglish,
	type Resident
} from './support';

const adminSections = (page: Page) => page.getByRole('navigation', { name: /^(系统管理分区|Administration sections)$/ });

/** Opens the account of `who` through the search, by part of the mobile number; returns its id. */
async function findAccount(page: Page, who: Resident, labels: { query: string; search: string }): Promise<number> {
	await page.getByLabel(labels.query).fill(who.phone.slice(3));
	await page.getByRole('button', { name: labels.search, exact: true }).click();
	await expect(page).toHaveURL(/\/admin\/accounts\?q=/);
	const results = page.getByRole('table');
	await expect(results.getByRole('row')).toHaveCount(2); // the header row and one account
	await results.getByRole('link', { name: who.greeting, exact: true }).click();
	await expect(page).toHaveURL(/\/admin\/accounts\/\d+$/);
	return Number(/\/admin\/accounts\/(\d+)$/.exec(page.url())![1]);
}

test('an admin grants a role limited to one community and finds it in the audit log, in Chinese and in English', async ({
	page
}, testInfo) => {
	test.setTimeout(180_000);
	const resident = newResident(testInfo, '钱', '晓东');
	const newAdmin = newResident(testInfo, '孔', '明远');
	const names = [resident.greeting, resident.familyName, resident.givenName, newAdmin.greeting, newAdmin.familyName, newAdmin.givenName];
	let residentId = 0;
	let newAdminId = 0;

	await test.step('two residents register', async () => {
		await registerResident(page, resident, '东门社区');
		await logOut(page);
		await registerResident(page, newAdmin, '湖贝社区');
		await logOut(page);
	});

	await test.step('the demo admin finds the resident by part of the number and grants staff for 立新社区', async () => {
		await logIn(page, DEMO.admin.phone, DEMO_PASSWORD, DEMO.admin.greeting);
		await mainNav(page).getByRole('link', { name: '系统管理' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('系统管理');
		await page.getByRole('link', { name: '账户与身份' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('账户与身份');
		await expect(page.getByText('请输入姓名或手机号（可以只输入一部分）查找账户。')).toBeVisible();

		residentId = await findAccount(page, resident, { query: '姓名或手机号', search: '查找' });
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`账户：${resident.greeting}`);
		await page.getByRole('combobox', { name: '身份', exact: true }).selectOption({ label: '社区工作人员' });
		await page.getByRole('combobox', { name: /^适用社区/ }).selectOption({ label: '立新社区' });
		await page.getByRole('button', { name: '授予', exact: true }).click();
		await expect(page.getByRole('status')).toHaveText('已授予：社区工作人员（立新社区）');
		const roles = page.getByRole('table', { name: '此账户的身份' });
		await expect(roles.getByRole('row', { name: /社区工作人员/ })).toContainText('立新社区');
	});

	await test.step('…and sees the grant in the audit log', async () => {
		await adminSections(page).getByRole('link', { name: '审计日志' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('审计日志');
		await page.getByRole('combobox', { name: /^操作/ }).selectOption({ label: '授予身份 (role.grant)' });
		await page.getByRole('button', { name: '筛选', exact: true }).click();
		await expect(page).toHaveURL(/action=role\.grant/);
		const entry = page.getByRole('row').filter({ has: page.getByRole('link', { name: `账户 #${residentId}`, exact: true }) });
		await expect(entry).toHaveCount(1);
		await expect(entry).toContainText('欧阳伟');
		await expect(entry).toContainText('授予身份 (role.grant)');
		await expect(entry).toContainText('立新社区');
		await expect(entry).toContainText('role: staff');
	});

	await test.step('the demo admin appoints a second admin, for all communities', async () => {
		await adminSections(page).getByRole('link', { name: '账户与身份' }).click();
		newAdminId = await findAccount(page, newAdmin, { query: '姓名或手机号', search: '查找' });
		await page.getByRole('combobox', { name: '身份', exact: true }).selectOption({ label: '系统管理员' });
		await page.getByRole('button', { name: '授予', exact: true }).click();
		await expect(page.getByRole('status')).toHaveText('已授予：系统管理员（全部社区）');
		await logOut(page);
	});

	await test.step('the resident now has the community desk, limited to 立新社区', async () => {
		await logIn(page, resident.phone, resident.password, resident.greeting);
		await mainNav(page).getByRole('link', { name: '社区工作台' }).click();
		await expect(page.getByText('您负责的社区：立新社区')).toBeVisible();
		await logOut(page);
	});

	await test.step('the second admin switches to English and grants trainer for Hubei Community', async () => {
		await logIn(page, newAdmin.phone, newAdmin.password, newAdmin.greeting);
		await switchToEnglish(page);
		await mainNav(page).getByRole('link', { name: 'Administration' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Administration');
		await page.getByRole('link', { name: 'Accounts and roles' }).click();
		expect(await findAccount(page, resident, { query: 'Name or mobile number', search: 'Search' })).toBe(residentId);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Account: ${resident.greeting}`);
		await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption({ label: 'First-aid trainer' });
		await page.getByRole('combobox', { name: /^Community/ }).selectOption({ label: 'Hubei Community' });
		await page.getByRole('button', { name: 'Grant', exact: true }).click();
		await expect(page.getByRole('status')).toHaveText('Granted: First-aid trainer (Hubei Community)');
		const roles = page.getByRole('table', { name: 'Roles of this account' });
		await expect(roles.getByRole('row', { name: /Community staff/ })).toContainText('Lixin Community');
		await expect(roles.getByRole('row', { name: /First-aid trainer/ })).toContainText('Hubei Community');
		expect(await chineseLeftOn(page, names), 'Chinese text left on the English account page').toEqual([]);
	});

	await test.step('…and finds exactly that grant in the audit log, filtered by action and by actor', async () => {
		await adminSections(page).getByRole('link', { name: 'Audit log' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
		await page.getByRole('combobox', { name: /^Action/ }).selectOption({ label: 'Role granted (role.grant)' });
		await page.getByLabel(/^Account number of the actor/).fill(String(newAdminId));
		await page.getByRole('button', { name: 'Filter', exact: true }).click();
		const table = page.getByRole('table', { name: /^Audit entries, newest first/ });
		await expect(table.getByRole('row')).toHaveCount(2);
		const entry = table.getByRole('row').nth(1);
		await expect(entry.getByRole('link', { name: `Account #${residentId}`, exact: true })).toBeVisible();
		await expect(entry).toContainText(newAdmin.greeting);
		await expect(entry).toContainText('Role granted (role.grant)');
		await expect(entry).toContainText('Hubei Community');
		await expect(entry).toContainText('role: trainer');
		expect(await chineseLeftOn(page, names), 'Chinese text left on the English audit log').toEqual([]);
		await logOut(page);
	});
});
