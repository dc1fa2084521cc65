/**
 * The doctor's own pages in English, with and without JavaScript: the agenda by day and by week,
 * recording a visit, a change of hours that leaves a booking outside them, moving that booking,
 * calling off a day. The doctor is made for this journey in its database, with an account of its
 * own that reads English: the demo doctor's account is shared with other journeys and stays Chinese.
 * A resident (a fresh registration, in Chinese) books twice and then finds both changes.
 */
import { expect, test, type Page } from '@playwright/test';
import { createEnglishDoctor, MAKES_ENGLISH_DOCTOR, requireDatabase, shanghaiDay } from './database';
import {
	chineseLeftOn,
	DEMO_PASSWORD,
	freshPhone,
	hydrated,
	logIn,
	logOut,
	newResident,
	open,
	registerResident,
	submitLogin
} from './support';

async function bookAt(page: Page, doctorId: number, day: string, time: string): Promise<void> {
	await open(page, `/doctors/${doctorId}?day=${day}`);
	await page.getByRole('link', { name: `预约 ${time}`, exact: true }).click();
	await page.getByRole('button', { name: '确认预约' }).click();
	await expect(page.getByRole('status')).toHaveText('预约成功！请按时到工作室。');
}

test('a doctor reads the agenda, records a visit, moves a booking new leave no longer covers and calls off a day, in English', async ({
	page
}, testInfo) => {
	test.setTimeout(120_000);
	requireDatabase(MAKES_ENGLISH_DOCTOR);
	const noJs = testInfo.project.name === 'no-js';
	const doctorName = { familyName: 'Lin', givenName: noJs ? 'Yun' : 'Mei' };
	const doctorPhone = freshPhone(testInfo);
	const { doctorId } = await createEnglishDoctor({ phone: doctorPhone, ...doctorName, patient: ['周', noJs ? '玉兰' : '桂芳'] });
	const patient = `周${noJs ? '玉兰' : '桂芳'}`;
	const resident = newResident(testInfo, '吴', noJs ? '海燕' : '春梅');
	const [moveDay, offDay] = [shanghaiDay(2), shanghaiDay(3)];

	await test.step('a resident books 09:00 on one day and 10:00 on the next', async () => {
		await registerResident(page, resident);
		await bookAt(page, doctorId, moveDay, '09:00');
		await bookAt(page, doctorId, offDay, '10:00');
		await logOut(page);
	});

	await test.step('the doctor reads the agenda by day and by week', async () => {
		await submitLogin(page, doctorPhone, DEMO_PASSWORD);
		await expect(page.getByText(`Logged in: ${doctorName.familyName}${doctorName.givenName}`)).toBeVisible();
		await open(page, `/doctor?day=${moveDay}`);
		await expect(page.getByRole('heading', { level: 2, name: 'My appointments' })).toBeVisible();
		const day = page.getByRole('table');
		await expect(day.getByRole('row')).toHaveCount(2);
		await expect(day).toContainText(resident.greeting);
		await expect(day).toContainText(resident.phone);
		await expect(day).toContainText('09:00');
		await page.getByRole('link', { name: 'Week', exact: true }).click();
		await expect(page).toHaveURL(/view=week/);
		await expect(page.getByRole('table')).toContainText(resident.greeting);
		expect(await chineseLeftOn(page, [resident.greeting, patient, '东门社区家庭医生工作室'])).toEqual([]);
	});

	await test.step('…records yesterday’s visit as seen, then corrects it to did not come', async () => {
		await open(page, `/doctor?day=${shanghaiDay(-1)}`);
		const row = page.getByRole('row').filter({ hasText: patient });
		await page.getByRole('button', { name: `Seen – ${patient}` }).click();
		await expect(page.getByRole('status')).toHaveText('Recorded');
		await expect(row.locator('strong')).toHaveText('Attended');
		await page.getByRole('button', { name: `Did not come – ${patient}` }).click();
		await expect(page.getByRole('status')).toHaveText('Recorded');
		await expect(row.locator('strong')).toHaveText('Did not come');
	});

	await test.step('…takes leave 08:00–10:00 on the first day: the booking is listed, and moved to 11:00 with a message', async () => {
		await page.getByRole('link', { name: 'Hours and leave' }).click();
		const leave = page.locator('form[action="?/addException"]');
		await leave.getByLabel('Day', { exact: true }).fill(moveDay);
		await leave.getByLabel('Kind', { exact: true }).selectOption({ label: 'Leave / public holiday (fewer hours)' });
		await leave.getByLabel('From (optional)').fill('08:00');
		await leave.getByLabel('To (optional)').fill('10:00');
		await leave.getByRole('button', { name: 'Add' }).click();
		await expect(page.getByRole('status')).toHaveText('Saved.');
		const outside = page.getByRole('region', { name: 'Appointments outside your hours' });
		await expect(outside).toContainText(resident.greeting);
		await outside.getByRole('link', { name: `Move the appointment of ${resident.greeting} to another time` }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Move an appointment');
		await expect(page.getByText(`${resident.greeting} is booked at`)).toBeVisible();
		await open(page, `${new URL(page.url()).pathname}?day=${moveDay}`);
		// On leave until 10:00: the free times of the day start at 10:00.
		const times = page.getByRole('group', { name: /^Free times on / }).getByRole('radio');
		await expect(times.first()).toHaveAccessibleName('10:00');
		// Sent without a time: told at the field, nothing moves.
		await page.getByLabel('Message to the resident').fill('A meeting came up in the morning');
		await page.getByRole('button', { name: 'Move and tell the resident' }).click();
		await expect(page.getByText('Choose a new time')).toBeVisible();
		await page.getByRole('radio', { name: '11:00' }).check();
		await page.getByLabel('Message to the resident').fill('A meeting came up in the morning');
		await page.getByRole('button', { name: 'Move and tell the resident' }).click();
		await expect(page).toHaveURL(new RegExp(`/doctor\\?day=${moveDay}&moved=\\d+$`));
		await hydrated(page);
		await expect(page.getByRole('status')).toHaveText('The appointment has moved to the new time; the resident has been told.');
		await expect(page.getByRole('row').filter({ hasText: resident.greeting })).toContainText('11:00');
		await open(page, '/doctor/hours');
		await expect(page.getByRole('region', { name: 'Appointments outside your hours' })).toHaveCount(0);
	});

	await test.step('…and calls off the next day', async () => {
		await open(page, `/doctor?day=${offDay}`);
		await expect(page.getByRole('table')).toContainText(resident.greeting);
		const callOff = page.locator('section[aria-labelledby="cancel-day"]');
		await callOff.getByLabel('Day', { exact: true }).fill(offDay);
		await callOff.getByLabel('Message to the residents').fill('Out for training');
		await page.getByRole('button', { name: 'Call off the day and tell the residents' }).click();
		await expect(page.getByRole('status')).toHaveText('The day is called off; 1 residents were told.');
		await expect(page.getByRole('table')).toHaveCount(0);
		await logOut(page);
	});

	await test.step('the resident is told of both, and the home page opens the moved appointment', async () => {
		await logIn(page, resident.phone, resident.password, resident.greeting);
		// The home page's coming items (the calendar feed's).
		const upcoming = page.locator('section[aria-labelledby="upcoming-heading"]');
		// The moved appointment, and the called-off one marked cancelled: both open their appointment page.
		const links = upcoming.getByRole('link', { name: /Lin/ });
		await expect(links).toHaveCount(2);
		for (const link of await links.all()) await expect(link).toHaveAttribute('href', /^\/me\/appointments\/\d+$/);
		await links.first().click();
		await expect(page).toHaveURL(/\/me\/appointments\/\d+$/);
		await expect(page.getByRole('article')).toContainText('11:00');
		await open(page, '/me/notifications');
		const moved = page.getByRole('listitem').filter({ hasText: 'A meeting came up in the morning' });
		await expect(moved).toHaveCount(1);
		await expect(moved).toContainText('11:00');
		await expect(moved.getByRole('link', { name: '查看' })).toHaveAttribute('href', /^\/me\/appointments\/\d+$/);
		await expect(page.getByRole('listitem').filter({ hasText: 'Out for training' })).toHaveCount(1);
		await open(page, '/me/appointments');
		const booked = page.getByRole('listitem').filter({ hasText: '已预约' });
		await expect(booked).toHaveCount(1);
		await expect(booked).toContainText('11:00');
	});
});
