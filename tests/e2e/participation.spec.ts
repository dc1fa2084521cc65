/**
 * Issue 10: a member of staff for the whole subdistrict (a new resident whom the demo admin makes
 * staff for all communities — the demo accounts are only read) opens the participation dashboard,
 * switches the period and the community, opens a chart's table and exports the CSV; then does the
 * same on the coverage page, and all of it again in English. Runs with and without JavaScript.
 * Budget: one registration per project, no failed log-in.
 */
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { shanghaiDate } from '../../src/lib/server/clock';
import { chineseLeftOn, DEMO, DEMO_PASSWORD, logIn, logOut, mainNav, newResident, registerResident, switchToEnglish } from './support';

function monthsAgo(n: number): string {
	const [y, m] = shanghaiDate(new Date()).split('-').map(Number) as [number, number];
	const total = y * 12 + (m - 1) - n;
	return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Clicks an export link and returns the file's name and its bytes as text (BOM kept). */
async function download(page: Page, link: string): Promise<{ name: string; text: string }> {
	const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
	const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(fs.readFileSync((await file.path())!));
	return { name: file.suggestedFilename(), text };
}

test('staff follow participation and coverage by period and community, read a chart as a table and export it, in Chinese and in English', async ({
	page
}, testInfo) => {
	test.setTimeout(180_000);
	const staff = newResident(testInfo, '黄', '丽华');
	const from = monthsAgo(2);
	const to = monthsAgo(0);

	await test.step('the demo admin makes a new resident staff for all communities', async () => {
		await registerResident(page, staff, '湖贝社区');
		await logOut(page);
		await logIn(page, DEMO.admin.phone, DEMO_PASSWORD, DEMO.admin.greeting);
		await page.goto(`/admin/accounts?q=${staff.phone.slice(3)}`);
		await page.getByRole('table').getByRole('link', { name: staff.greeting, exact: true }).click();
		await page.getByRole('combobox', { name: '身份', exact: true }).selectOption({ label: '社区工作人员' });
		await page.getByRole('button', { name: '授予', exact: true }).click();
		await expect(page.getByRole('status')).toHaveText('已授予：社区工作人员（全部社区）');
		await logOut(page);
	});

	await test.step('the dashboard: switch period and community, open the chart’s table, export', async () => {
		await logIn(page, staff.phone, staff.password, staff.greeting);
		await mainNav(page).getByRole('link', { name: '社区工作台' }).click();
		await expect(page.getByRole('heading', { name: '居民参与情况' })).toBeVisible();
		await expect(page.getByRole('link', { name: '健身场地管理' })).toBeVisible();
		await page.getByLabel('起始月份').fill(from);
		await page.getByLabel('截止月份').fill(to);
		await page.getByLabel('社区', { exact: true }).selectOption({ label: '东门社区' });
		await page.getByRole('button', { name: '查看', exact: true }).click();
		await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}&community=\\d+`));
		await expect(page.getByRole('status').filter({ hasText: `${from} 至 ${to}` })).toBeVisible();

		const table = page.getByRole('table', { name: '每月到场人次' });
		await expect(table).toBeHidden();
		await page.getByText('以表格查看：每月到场人次').click();
		await expect(table).toBeVisible();
		await expect(table.getByRole('row')).toHaveCount(4); // the header and three months
		await expect(table.getByRole('columnheader', { name: '健身场地' })).toBeVisible();

		const csv = await download(page, '导出 CSV：按月份和项目的明细');
		expect(csv.name).toBe(`participation-dashboard_${from}_${to}_dongmen.csv`);
		expect(csv.text.startsWith('\uFEFF月份,项目,预约数,到场,未到,逾期取消,参与人数,候补需求（人）,提供名额,名额已使用,上座率\r\n')).toBe(
			true
		);
		expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(1 + 3 * 3);
	});

	await test.step('the coverage page: the trend’s table, the expiring list, the export', async () => {
		await page.getByRole('link', { name: '急救技能普及率' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('急救技能普及率');
		await page.getByLabel('社区', { exact: true }).selectOption({ label: '立新社区' });
		await page.getByRole('button', { name: '查看', exact: true }).click();
		await page.getByText('以表格查看：每月普及率与目标').click();
		await expect(page.getByRole('table', { name: '每月普及率与目标' })).toBeVisible();
		const csv = await download(page, '导出 CSV：每月趋势');
		expect(csv.name).toBe(`participation-coverage_${from}_${to}_lixin.csv`);
		expect(csv.text.startsWith('\uFEFF月份,持证人数,登记人口,普及率\r\n')).toBe(true);
	});

	await test.step('the same in English', async () => {
		await switchToEnglish(page);
		await mainNav(page).getByRole('link', { name: 'Community desk' }).click();
		await expect(page.getByRole('heading', { name: 'Participation' })).toBeVisible();
		await page.getByLabel('From month').fill(monthsAgo(1));
		await page.getByLabel('To month').fill(to);
		await page.getByLabel('Community', { exact: true }).selectOption({ label: 'Hubei Community' });
		await page.getByRole('button', { name: 'Show', exact: true }).click();
		await expect(page).toHaveURL(new RegExp(`from=${monthsAgo(1)}&to=${to}&community=\\d+`));
		await expect(page.getByRole('status').filter({ hasText: `${monthsAgo(1)} to ${to}` })).toBeVisible();
		await page.getByText('Show as a table: Attended per month').click();
		const table = page.getByRole('table', { name: 'Attended per month' });
		await expect(table).toBeVisible();
		await expect(table.getByRole('row')).toHaveCount(3);
		expect(
			await chineseLeftOn(page, [staff.greeting, staff.familyName, staff.givenName]),
			'Chinese text left on the English dashboard'
		).toEqual([]);
		const csv = await download(page, 'Export CSV: By month and programme');
		expect(csv.name).toBe(`participation-dashboard_${monthsAgo(1)}_${to}_hubei.csv`);
		expect(csv.text.startsWith('\uFEFFMonth,Programme,Reservations,Attended,No-shows,')).toBe(true);

		await page.getByRole('link', { name: 'First-aid coverage rate' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('First-aid coverage rate');
		await page.getByText('Show as a table: Coverage per month and target').click();
		await expect(page.getByRole('table', { name: 'Coverage per month and target' })).toBeVisible();
		expect(
			await chineseLeftOn(page, [staff.greeting, staff.familyName, staff.givenName]),
			'Chinese text left on the English coverage page'
		).toEqual([]);
	});
});
