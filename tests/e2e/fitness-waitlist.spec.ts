/**
 * The waiting list and the door, end to end: a session with one place, two residents, an offer
 * taken up; a session starting now, checked in to through the space's QR poster link.
 */
import { expect, test, type Page } from '@playwright/test';
import { addDays, shanghaiDate, shanghaiTime, startOfWeek } from '../../src/lib/server/clock';
import { DEMO, DEMO_PASSWORD, logIn, logOut, newResident, open, registerResident, switchToEnglish } from './support';

/** Staff add a one-day weekly series to 东门社区文化广场 and return to the space page. */
/** `titleEn` defaults to `title`: other journeys read the home page in English, where a Chinese title would be a stray. */
async function addSession(page: Page, title: string, capacity: number, start: Date, end: Date, titleEn = title): Promise<void> {
	const date = shanghaiDate(start);
	await logIn(page, DEMO.staff.phone, DEMO_PASSWORD, DEMO.staff.greeting);
	await open(page, '/staff/fitness');
	await page.getByRole('link', { name: '东门社区文化广场' }).click();
	await page.getByLabel('类型').selectOption({ label: '团体课' });
	await page.getByLabel('名称（中文）').first().fill(title);
	await page.getByLabel('名称（英文）').first().fill(titleEn);
	await page.getByLabel('名额（人数上限）').first().fill(String(capacity));
	const weekday = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'][(new Date(`${date}T12:00:00+08:00`).getUTCDay() + 6) % 7]!;
	await page.getByLabel('星期').selectOption({ label: weekday });
	await page.getByLabel('开始时间').first().fill(shanghaiTime(start));
	await page.getByLabel('结束时间').first().fill(shanghaiTime(end));
	await page.getByLabel('从哪天起').fill(date);
	await page.getByLabel('到哪天止').fill(date);
	await page.getByRole('button', { name: '生成场次' }).click();
	await expect(page.getByRole('status')).toHaveText('已生成 1 个场次');
}

/** From the timetable of the session's week at that space, to the session's page. */
async function findSession(page: Page, title: string, start: Date): Promise<void> {
	await open(page, `/fitness?space=1&week=${startOfWeek(shanghaiDate(start))}`);
	await page.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
}

test('a resident joins the waiting list of a full session and takes up the place when it is freed', async ({ page }, testInfo) => {
	const title = `候补体验课 ${testInfo.project.name} ${Date.now() % 100_000}`;
	// Three days ahead, well within the booking horizon.
	const day = addDays(shanghaiDate(new Date()), 3);
	await addSession(
		page,
		title,
		1,
		new Date(`${day}T09:00:00+08:00`),
		new Date(`${day}T10:00:00+08:00`),
		`Waiting list trial ${testInfo.project.name}`
	);
	await logOut(page);

	const first = newResident(testInfo, '钱', '小红');
	await registerResident(page, first);
	await findSession(page, title, new Date(`${day}T09:00:00+08:00`));
	await expect(page.getByText('剩余 1 个名额')).toBeVisible();
	await page.getByRole('button', { name: '预约', exact: true }).click();
	await expect(page.getByRole('status')).toContainText('预约成功');
	await logOut(page);

	const second = newResident(testInfo, '赵', '大爷');
	await registerResident(page, second);
	await findSession(page, title, new Date(`${day}T09:00:00+08:00`));
	await page.getByRole('button', { name: '加入候补' }).click();
	await expect(page.getByRole('status')).toContainText('已加入候补，您排在第 1 位');
	await open(page, '/me/reservations');
	await expect(page.getByRole('listitem').filter({ hasText: title })).toContainText('候补中');
	await logOut(page);

	await logIn(page, first.phone, first.password, first.greeting);
	await open(page, '/me/reservations');
	await page.getByRole('listitem').filter({ hasText: title }).getByRole('button', { name: '取消预约' }).click();
	await expect(page.getByRole('status')).toContainText('已取消');
	await logOut(page);

	// The freed place is offered to the first in line at once; the home page says so.
	await logIn(page, second.phone, second.password, second.greeting);
	const offers = page.getByRole('region', { name: '等待您确认的空位' });
	await offers.getByRole('link', { name: title }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('有空位了，请确认');
	await page.getByRole('button', { name: '确认预约' }).click();
	await expect(page.getByRole('status')).toContainText('已确认，预约成功');
	await open(page, '/me/reservations');
	await expect(page.getByRole('listitem').filter({ hasText: title })).toContainText('已预约');
});

test('a resident checks in by opening the space’s QR link, through log-in and back, in English', async ({ page }, testInfo) => {
	const title = `QR check-in ${testInfo.project.name} ${Date.now() % 100_000}`;
	// A session starting within minutes (check-in opens an hour before the start). Near midnight it
	// falls on the next day, at most half an hour ahead: still inside the check-in window.
	const start = new Date(Math.ceil((Date.now() + 3 * 60_000) / 300_000) * 300_000);
	const endOfDay = new Date(`${shanghaiDate(start)}T23:59:00+08:00`);
	const end = new Date(Math.min(start.getTime() + 30 * 60_000, endOfDay.getTime()));
	await addSession(page, title, 5, start, end);
	await page.getByRole('link', { name: '打印签到二维码' }).click();
	const link = await page.getByRole('img', { name: /\/fitness\/checkin\// }).getAttribute('aria-label');
	expect(link).toMatch(/\/fitness\/checkin\/[A-Za-z0-9]+$/);
	await open(page, '/');
	await logOut(page);

	const resident = newResident(testInfo, '周', '明');
	await registerResident(page, resident);
	await switchToEnglish(page);
	await findSession(page, title, start);
	await page.getByRole('button', { name: 'Book', exact: true }).click();
	await expect(page.getByRole('status')).toContainText('Booked');
	await logOut(page);

	// The phone's camera opens the poster's link: log in first, then back to the check-in page.
	await open(page, new URL(link!).pathname);
	await expect(page).toHaveURL(/\/login\?/);
	await page.getByLabel('Mobile number or e-mail').fill(resident.phone);
	await page.getByLabel('Password', { exact: true }).fill(resident.password);
	await page.getByRole('button', { name: 'Log in', exact: true }).click();
	await expect(page).toHaveURL(new RegExp(`${new URL(link!).pathname}$`));
	await expect(page.getByText(title)).toBeVisible();
	await page.getByRole('button', { name: 'I am here: check me in' }).click();
	await expect(page.getByRole('status')).toContainText('You are checked in');
	await open(page, '/me/reservations');
	await expect(page.getByRole('listitem').filter({ hasText: title })).toContainText('Attended');
});
