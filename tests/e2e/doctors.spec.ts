/**
 * Family doctor journeys, with and without JavaScript (the two projects). Every booking journey
 * uses a fresh resident and its own day of the fortnight (by project and language), so journeys
 * running at once never want the same slot; the doctor's journey calls off a day from the end.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { shanghaiDay } from './database';
import { chineseLeftOn, DEMO, DEMO_PASSWORD, logIn, logOut, newResident, open, registerResident, switchToEnglish } from './support';

/** A day index for this journey: distinct per project and language, so parallel journeys do not collide. */
function dayIndex(testInfo: TestInfo, english: boolean): number {
	return (testInfo.project.name === 'no-js' ? 1 : 0) + (english ? 2 : 0);
}

async function chooseDoctorDay(page: Page, doctorLink: RegExp, index: number, fromEnd = false): Promise<string> {
	await page.getByRole('link', { name: doctorLink }).first().click();
	await expect(page).toHaveURL(/\/doctors\/\d+$/);
	// Never today: a journey that books today's first free time and then moves it would find itself
	// within the two hours before the visit (early in the morning), when moving is no longer allowed.
	const today = shanghaiDay(0);
	const all = page.getByRole('link', { name: /(\d+ 个空号|\d+ free)/ });
	const hrefs = await all.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
	const later = hrefs.filter((h) => !h.endsWith(`day=${today}`));
	const count = later.length;
	expect(count).toBeGreaterThan(4);
	await page
		.locator(`a[href="${later[fromEnd ? count - 1 - index : index]}"]`)
		.first()
		.click();
	await expect(page).toHaveURL(/\?day=\d{4}-\d{2}-\d{2}$/);
	return new URL(page.url()).searchParams.get('day')!;
}

test('a resident books a family doctor, changes the time and cancels, in Chinese', async ({ page }, testInfo) => {
	const resident = newResident(testInfo, '赵', '桂兰');
	await registerResident(page, resident);
	await page.getByRole('link', { name: '家庭医生工作室' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('家庭医生工作室');
	const day = await chooseDoctorDay(page, /查看 陈志明 医生的空号/, dayIndex(testInfo, false));
	await page
		.getByRole('link', { name: /^预约 \d{2}:\d{2}$/ })
		.first()
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('确认预约');
	await page.getByRole('radio', { name: '慢病随访' }).check();
	await page.getByLabel('简单说明（可不填）').fill('血压复查');
	await page.getByRole('button', { name: '确认预约' }).click();
	await expect(page).toHaveURL(/\/me\/appointments\/\d+\?booked=1$/);
	await expect(page.getByRole('status')).toHaveText('预约成功！请按时到工作室。');
	await expect(page.getByRole('article')).toContainText('血压复查');
	await expect(page.getByRole('article')).toContainText('慢病随访');
	const firstUrl = page.url();

	await page.getByRole('link', { name: '改约时间' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('改约时间');
	// Another time on the same day (the page opens on the first day with free times, maybe today).
	await page.locator(`a[href="?day=${day}"]`).click();
	await expect(page).toHaveURL(new RegExp(`\\?day=${day}$`));
	await page
		.getByRole('button', { name: /^改到 / })
		.first()
		.click();
	await expect(page.getByRole('status')).toHaveText('已改约到新的时间。');
	expect(page.url()).not.toBe(firstUrl);
	await expect(page.getByRole('article')).toContainText('血压复查');

	await page.getByRole('button', { name: '取消预约' }).click();
	await expect(page.getByRole('status')).toHaveText('预约已取消。');
	await open(page, '/me/appointments');
	await expect(page.getByRole('listitem').filter({ hasText: '陈志明' }).first()).toContainText('已取消');
});

test('a resident books a family doctor, changes the time and cancels, in English', async ({ page }, testInfo) => {
	const resident = newResident(testInfo, '钱', '秀珍');
	await registerResident(page, resident);
	await switchToEnglish(page);
	await open(page, '/doctors');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Family doctor studios');
	const day = await chooseDoctorDay(page, /Free times with Dr 张丽华/, dayIndex(testInfo, true));
	await page
		.getByRole('link', { name: /^Book \d{2}:\d{2}$/ })
		.first()
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm the appointment');
	await page.getByRole('radio', { name: /Three-controls counselling/ }).check();
	await page.getByRole('button', { name: 'Confirm the appointment' }).click();
	await expect(page.getByRole('status')).toHaveText('Booked! Please come to the studio on time.');
	await expect(page.getByRole('article')).toContainText('Three-controls counselling');

	await page.getByRole('link', { name: 'Change the time' }).click();
	await page.locator(`a[href="?day=${day}"]`).click();
	await expect(page).toHaveURL(new RegExp(`\\?day=${day}$`));
	await page
		.getByRole('button', { name: /^Move to / })
		.first()
		.click();
	await expect(page.getByRole('status')).toHaveText('The appointment has moved to the new time.');

	await open(page, '/me/appointments');
	const card = page.getByRole('listitem').filter({ hasText: '张丽华' }).filter({ hasText: 'Booked' });
	await card.getByRole('button', { name: 'Cancel the appointment' }).click();
	await expect(page.getByRole('status')).toHaveText('The appointment is cancelled.');
	await expect(page.getByRole('listitem').filter({ hasText: '张丽华' }).filter({ hasText: 'Booked' })).toHaveCount(0);
});

test('a doctor marks a visit and calls off a day; the resident booked that day is told and can rebook', async ({ page }, testInfo) => {
	const resident = newResident(testInfo, '孙', '建华');
	await registerResident(page, resident);
	await open(page, '/doctors');
	const day = await chooseDoctorDay(page, /查看 陈志明 医生的空号/, testInfo.project.name === 'no-js' ? 1 : 0, true);
	await page
		.getByRole('link', { name: /^预约 \d{2}:\d{2}$/ })
		.first()
		.click();
	await page.getByRole('button', { name: '确认预约' }).click();
	await expect(page.getByRole('status')).toHaveText('预约成功！请按时到工作室。');
	await logOut(page);

	await logIn(page, DEMO.doctor.phone, DEMO_PASSWORD, DEMO.doctor.greeting);
	await open(page, '/doctor');
	await expect(page.getByRole('heading', { level: 2, name: '我的预约日程' })).toBeVisible();
	// Last week's visits (demo history): mark one.
	const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
	await open(page, `/doctor?day=${yesterday}&view=week`);
	await expect(page.getByRole('table')).toContainText('王秀英');
	await page
		.getByRole('button', { name: /^(已就诊|未到) – / })
		.first()
		.click();
	await expect(page.getByRole('status')).toHaveText('已记录');

	await open(page, `/doctor?day=${day}`);
	await expect(page.getByRole('table')).toContainText('孙建华');
	await page.getByLabel('日期').fill(day);
	await page.getByLabel('给居民的说明').fill('外出参加培训');
	await page.getByRole('button', { name: '停诊并通知居民' }).click();
	await expect(page.getByRole('status')).toHaveText(/已停诊，已通知 \d+ 位居民。/);
	await expect(page.getByRole('table')).toHaveCount(0);
	await logOut(page);

	await logIn(page, resident.phone, resident.password, resident.greeting);
	await open(page, '/me/notifications');
	const notice = page.getByRole('listitem').filter({ hasText: '外出参加培训' });
	await expect(notice).toContainText('陈志明');
	await open(page, '/me/appointments');
	await expect(page.getByRole('listitem').filter({ hasText: '陈志明' }).first()).toContainText('已取消');
});

test('a visitor who switched to English sees no Chinese on the doctor pages but the doctors’ names', async ({ page }) => {
	await open(page, '/doctors');
	await switchToEnglish(page);
	for (const path of ['/doctors', '/doctors/1', '/doctors/2']) {
		await open(page, path);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		expect(await chineseLeftOn(page, ['陈志明', '张丽华']), path).toEqual([]);
	}
});
