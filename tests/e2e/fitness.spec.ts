import { expect, test } from '@playwright/test';
import { newResident, open, registerResident, switchToEnglish } from './support';

test('a visitor browses the fitness timetable by community and by week', async ({ page }) => {
	await open(page, '/');
	await page.getByRole('link', { name: '社区健身场地' }).first().click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('社区健身场地课表');
	await expect(page.getByRole('link', { name: '二十四式太极拳' }).first()).toBeVisible();
	await page.getByLabel('社区', { exact: true }).selectOption({ label: '湖贝社区' });
	await page.getByRole('button', { name: '筛选' }).click();
	await expect(page.getByRole('link', { name: '二十四式太极拳' })).toHaveCount(0);
	await expect(page.getByRole('listitem').filter({ hasText: '湖贝社区活动室' }).first()).toBeVisible();
	await page.getByRole('link', { name: /下一周/ }).click();
	await expect(page).toHaveURL(/week=\d{4}-\d{2}-\d{2}/);
	await expect(page.getByRole('listitem').filter({ hasText: '湖贝社区活动室' }).first()).toBeVisible();
});

test('a resident books a session from the timetable, finds it in their bookings and cancels it, in English', async ({ page }, testInfo) => {
	const resident = newResident(testInfo, '孙', '丽华');
	await registerResident(page, resident);
	await switchToEnglish(page);
	await open(page, '/fitness');
	// Next week's session: this week's may be over already.
	await page.getByRole('link', { name: /Next week/ }).click();
	await expect(page).toHaveURL(/week=\d{4}-\d{2}-\d{2}/);
	await page.getByRole('link', { name: 'Tai chi, 24 forms' }).first().click();
	await expect(page).toHaveURL(/\/occurrences\/\d+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tai chi, 24 forms');
	await page.getByRole('button', { name: 'Book' }).click();
	await expect(page.getByRole('status')).toContainText('Booked');
	await open(page, '/me/reservations');
	const card = page.getByRole('listitem').filter({ hasText: 'Tai chi, 24 forms' });
	await expect(card).toContainText('Booked');
	await card.getByRole('button', { name: 'Cancel the booking' }).click();
	await expect(page.getByRole('status')).toContainText('Cancelled');
	await expect(page.getByRole('listitem').filter({ hasText: 'Tai chi, 24 forms' })).toContainText('Cancelled');
});
