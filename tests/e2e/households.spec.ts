/**
 * Households, with and without JavaScript, in Chinese and in English: a resident adds an elderly
 * parent who has no account, books a family doctor slot and a training place for them, and sees
 * both under the parent and in their own lists. Each journey takes its own doctor day, counted from
 * the far end of the booking horizon (other journeys use the first days and the very last two).
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { mainNav, newResident, open, registerResident, switchToEnglish } from './support';
import { own } from './training-support';

type Words = {
	household: string;
	familyName: string;
	givenName: string;
	birthYear: string;
	consent: RegExp;
	add: string;
	added: string;
	enrol: string;
	bookOrWait: RegExp;
	done: RegExp;
	doctor: RegExp;
	pick: RegExp;
	confirm: string;
	booked: string;
	forName: (name: string) => string;
	seeBookings: string;
};

const ZH: Words = {
	household: '我的家庭成员',
	familyName: '姓',
	givenName: '名',
	birthYear: '出生年份',
	consent: /家人已同意由我代为预约/,
	add: '添加家人',
	added: '已添加家人',
	enrol: '查看与报名',
	bookOrWait: /^(预约|加入候补)$/,
	done: /预约成功|已加入候补/,
	doctor: /查看 陈志明 医生的空号/,
	pick: /^预约 \d{2}:\d{2}$/,
	confirm: '确认预约',
	booked: '预约成功！请按时到工作室。',
	forName: (name) => `为 ${name} 预约`,
	seeBookings: '查看预约'
};

const EN: Words = {
	household: 'My household',
	familyName: 'Family name',
	givenName: 'Given name',
	birthYear: 'Year of birth',
	consent: /My family member agreed/,
	add: 'Add family member',
	added: 'Family member added',
	enrol: 'Details and enrolment',
	bookOrWait: /^(Book|Join the waiting list)$/,
	done: /Booked|waiting list/,
	doctor: /Free times with Dr 陈志明/,
	pick: /^Book \d{2}:\d{2}$/,
	confirm: 'Confirm the appointment',
	booked: 'Booked! Please come to the studio on time.',
	forName: (name) => `For ${name}`,
	seeBookings: 'See bookings'
};

async function journey(page: Page, testInfo: TestInfo, english: boolean) {
	const w = english ? EN : ZH;
	const carer = newResident(testInfo, '孙', own(testInfo, english ? '立新' : '立东'));
	const parent = { family: '孙', given: own(testInfo, english ? '桂芳' : '秀英') };
	const parentName = `${parent.family}${parent.given}`;
	await registerResident(page, carer);
	if (english) await switchToEnglish(page);

	await test.step('the resident adds an elderly parent without an account', async () => {
		await mainNav(page).getByRole('link', { name: w.household }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.household);
		await page.getByLabel(w.familyName, { exact: true }).fill(parent.family);
		await page.getByLabel(w.givenName, { exact: true }).fill(parent.given);
		await page.getByLabel(w.birthYear).fill('1946');
		await page.getByRole('checkbox', { name: w.consent }).check();
		await page.getByRole('button', { name: w.add }).click();
		await expect(page.getByRole('status')).toContainText(`${w.added}`);
		await expect(page.getByRole('listitem').filter({ hasText: parentName })).toBeVisible();
	});

	await test.step('books a training place for the parent', async () => {
		await open(page, '/training');
		await page.getByRole('link', { name: w.enrol }).first().click();
		await expect(page).toHaveURL(/\/occurrences\/\d+$/);
		await expect(page.getByRole('radio', { name: parentName })).toBeVisible();
		await page.getByRole('radio', { name: parentName }).check();
		await page.getByRole('button', { name: w.bookOrWait }).click();
		await expect(page.getByRole('status')).toContainText(w.done);
	});

	await test.step('books a family doctor slot for the parent', async () => {
		await open(page, '/doctors');
		await page.getByRole('link', { name: w.doctor }).first().click();
		await expect(page).toHaveURL(/\/doctors\/\d+$/);
		const days = page.getByRole('link', { name: /(\d+ 个空号|\d+ free)/ });
		const count = await days.count();
		expect(count).toBeGreaterThan(6);
		await days.nth(count - 3 - (testInfo.project.name === 'no-js' ? 1 : 0) - (english ? 2 : 0)).click();
		await expect(page).toHaveURL(/\?day=\d{4}-\d{2}-\d{2}$/);
		await page.getByRole('link', { name: w.pick }).first().click();
		await expect(page.getByRole('radio', { name: parentName })).toBeVisible();
		await page.getByRole('radio', { name: parentName }).check();
		await page.getByRole('button', { name: w.confirm }).click();
		await expect(page).toHaveURL(/\/me\/appointments\/\d+\?booked=1$/);
		await expect(page.getByRole('status')).toHaveText(w.booked);
	});

	await test.step('sees both in their own lists and under the parent', async () => {
		await open(page, '/me/appointments');
		await expect(
			page
				.getByRole('listitem')
				.filter({ hasText: w.forName(parentName) })
				.first()
		).toContainText('陈志明');
		await open(page, '/me/training');
		await expect(page.getByRole('listitem').filter({ hasText: w.forName(parentName) })).toHaveCount(1);
		await open(page, '/me/household');
		await page.getByRole('listitem').filter({ hasText: parentName }).getByRole('link', { name: w.seeBookings }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText(parentName);
		const main = page.getByRole('main');
		await expect(main.getByRole('listitem').filter({ hasText: '陈志明' })).toHaveCount(1);
		await expect(main.getByRole('listitem')).toHaveCount(2);
	});
}

test('a resident books a doctor and a training for an elderly parent, in Chinese', async ({ page }, testInfo) => {
	await journey(page, testInfo, false);
});

test('a resident books a doctor and a training for an elderly parent, in English', async ({ page }, testInfo) => {
	await journey(page, testInfo, true);
});
