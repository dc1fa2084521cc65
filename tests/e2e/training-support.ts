/** Steps the training and certificate journeys share: sessions, trainers, Shanghai times. */
import { expect, type Page, type TestInfo } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, logIn, logOut, mainNav, open, registerResident, type Resident } from './support';

/** The Shanghai date and time `ms` from now, as the session form wants them. */
export function shanghai(ms: number): { date: string; time: string } {
	const iso = new Date(Date.now() + ms + 8 * 60 * 60_000).toISOString();
	return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** A given name no other project uses on this server (the two projects run the same journeys). */
export const own = (testInfo: TestInfo, given: string) => `${given}${testInfo.project.name === 'js' ? '甲' : '乙'}`;

/** The demo staff member (东门社区) adds a session; returns its occurrence id. */
export async function staffCreatesSession(
	page: Page,
	session: { date: string; time: string; capacity: number; trainer: string; venue: [string, string] }
): Promise<number> {
	await logIn(page, DEMO.staff.phone, DEMO_PASSWORD, DEMO.staff.greeting);
	await mainNav(page).getByRole('link', { name: '社区工作台' }).click();
	await page.getByRole('link', { name: '急救培训管理' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('急救培训管理');
	await page.getByRole('combobox', { name: '课程', exact: true }).selectOption({ label: '心肺复苏与 AED 使用' });
	await page.getByRole('combobox', { name: '所在社区', exact: true }).selectOption({ label: '东门社区' });
	await page.getByRole('textbox', { name: '日期', exact: true }).fill(session.date);
	await page.getByRole('textbox', { name: '开始时间', exact: true }).fill(session.time);
	await page.getByLabel('地点（中文）').fill(session.venue[0]);
	await page.getByLabel('地点（英文）').fill(session.venue[1]);
	await page.getByRole('combobox', { name: '培训师', exact: true }).selectOption({ label: session.trainer });
	await page.getByRole('textbox', { name: '名额', exact: true }).fill(String(session.capacity));
	await page.getByRole('button', { name: '新增场次' }).click();
	await expect(page).toHaveURL(/\/staff\/training\/sessions\/\d+\?created=1$/);
	await expect(page.getByRole('status')).toHaveText('场次已新增');
	return Number(/sessions\/(\d+)/.exec(page.url())![1]);
}

/** A new person registers, and the demo admin makes them a first-aid trainer; ends logged out. */
export async function registerTrainer(page: Page, trainer: Resident): Promise<void> {
	await registerResident(page, trainer);
	await logOut(page);
	await logIn(page, DEMO.admin.phone, DEMO_PASSWORD, DEMO.admin.greeting);
	await open(page, '/admin/accounts');
	await page.getByLabel('姓名或手机号').fill(trainer.phone);
	await page.getByRole('button', { name: '查找', exact: true }).click();
	await page.getByRole('table').getByRole('link', { name: trainer.greeting, exact: true }).click();
	await page.getByRole('combobox', { name: '身份', exact: true }).selectOption({ label: '急救培训师' });
	await page.getByRole('button', { name: '授予', exact: true }).click();
	await expect(page.getByRole('status')).toContainText('已授予：急救培训师');
	await logOut(page);
}
