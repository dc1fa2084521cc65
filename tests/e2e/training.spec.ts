/**
 * Issue 8: first-aid training journeys, in both projects (with and without JavaScript).
 * - a resident enrols, another joins the waiting list and, once a place is freed, accepts the offer
 *   (in Chinese, then in English);
 * - staff create a session and import a 40-row class roster with pupils under 14 (consent first
 *   refused, then confirmed); the session's trainer takes attendance and records results (English).
 * Every run makes its own people and sessions, so the two projects never share state.
 */
import { expect, test } from '@playwright/test';
import { freshPhone, logIn, logOut, mainNav, newResident, open, registerResident, switchToEnglish } from './support';
import { own, registerTrainer, shanghai, staffCreatesSession } from './training-support';

test('a resident enrols, another joins the waiting list and accepts the place freed for them', async ({ page }, testInfo) => {
	test.setTimeout(180_000);
	const first = newResident(testInfo, '冯', own(testInfo, '一帆'));
	const second = newResident(testInfo, '褚', own(testInfo, '二妹'));
	const when = shanghai(20 * 24 * 60 * 60_000);

	const id = await test.step('staff add a session with a single place', async () => {
		const id = await staffCreatesSession(page, {
			date: when.date,
			time: testInfo.project.name === 'js' ? '10:00' : '15:00',
			capacity: 1,
			trainer: '李建国',
			venue: ['东门社区党群服务中心', 'Dongmen community centre']
		});
		await logOut(page);
		return id;
	});

	await test.step('the first resident finds the training and enrols', async () => {
		await registerResident(page, first);
		await mainNav(page).getByRole('link', { name: '急救培训' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('急救培训报名');
		await expect(page.getByRole('heading', { level: 2, name: '心肺复苏与 AED 使用' })).toBeVisible();
		await open(page, `/occurrences/${id}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('心肺复苏与 AED 使用');
		await page.getByRole('button', { name: '预约', exact: true }).click();
		await expect(page.getByRole('status')).toContainText('预约成功');
		await open(page, '/me/training');
		await expect(page.getByRole('listitem').filter({ hasText: '心肺复苏与 AED 使用' })).toContainText('已预约');
		await logOut(page);
	});

	await test.step('the second resident joins the waiting list', async () => {
		await registerResident(page, second);
		await open(page, `/occurrences/${id}`);
		await page.getByRole('button', { name: '加入候补' }).click();
		await expect(page.getByRole('status')).toContainText('您排在第 1 位');
		await open(page, '/me/training');
		await expect(page.getByRole('listitem').filter({ hasText: '心肺复苏与 AED 使用' })).toContainText('候补第 1 位');
		await logOut(page);
	});

	await test.step('the first resident withdraws', async () => {
		await logIn(page, first.phone, first.password, first.greeting);
		await open(page, '/me/training');
		await page.getByRole('listitem').filter({ hasText: '心肺复苏与 AED 使用' }).getByRole('button', { name: '退出报名' }).click();
		await expect(page.getByRole('status')).toHaveText('已退出报名');
		await logOut(page);
	});

	await test.step('the second resident, in English, accepts the offered place', async () => {
		await logIn(page, second.phone, second.password, second.greeting);
		await switchToEnglish(page);
		await open(page, '/me/training');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('My first-aid training');
		const card = page.getByRole('listitem').filter({ hasText: 'CPR and AED' });
		await expect(card).toContainText('Place offered');
		await card.getByRole('link', { name: 'A place is free: please confirm' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('A place is free: please confirm');
		await page.getByRole('button', { name: 'Confirm the booking' }).click();
		await expect(page).toHaveURL(/\/me\/reservations\/\d+\?accepted$/);
		await expect(page.getByText('Your status: Booked').first()).toBeVisible();
		await open(page, '/me/training');
		await expect(page.getByRole('listitem').filter({ hasText: 'CPR and AED' })).toContainText('Booked');
	});
});

test('staff import a 40-row class roster; its trainer takes attendance and records results', async ({ page }, testInfo) => {
	test.setTimeout(240_000);
	const trainer = newResident(testInfo, '蒋', own(testInfo, '教练'));
	const start = shanghai(30 * 60_000);

	await test.step('a new trainer registers and the demo admin grants the role', async () => {
		await registerTrainer(page, trainer);
	});

	// A school class: 40 pupils, some with a parent's phone, three of them under 14.
	const rows = ['姓,名,手机号,出生日期'];
	for (let i = 1; i <= 40; i++) {
		const phone = i % 4 === 0 ? freshPhone(testInfo) : '';
		const born = i === 3 || i === 7 || i === 12 ? '2016-09-01' : '2008-03-15';
		rows.push(`学,生${i},${phone},${born}`);
	}
	const roster = { name: 'class.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + rows.join('\r\n'), 'utf8') };

	await test.step('staff add a session for the class and import its roster', async () => {
		await staffCreatesSession(page, {
			date: start.date,
			time: start.time,
			capacity: 45,
			trainer: trainer.greeting,
			venue: ['东门中学礼堂', 'Dongmen Middle School hall']
		});
		await expect(page.getByRole('heading', { level: 2, name: '导入团体名单（CSV）' })).toBeVisible();
		await page.getByLabel('名单文件').setInputFiles(roster);
		await page.getByRole('button', { name: '检查并导入' }).click();
		await expect(page.getByText('名单中有未满 14 岁的学生（第 4, 8, 13 行）')).toBeVisible();
		await page.getByLabel('名单文件').setInputFiles(roster);
		await page.getByRole('checkbox', { name: /监护人均已同意/ }).check();
		await page.getByRole('button', { name: '检查并导入' }).click();
		await expect(page.getByRole('status').filter({ hasText: '已导入' })).toHaveText(
			'已导入 40 人（新建 40 人，匹配已有 0 人，记录监护人同意 3 份）。'
		);
		await page.getByRole('link', { name: '名单与签到' }).click();
		await expect(page.getByRole('table').getByRole('row')).toHaveCount(41);
		await logOut(page);
	});

	await test.step('the trainer, in English, ticks two pupils present and assesses one', async () => {
		await logIn(page, trainer.phone, trainer.password, trainer.greeting);
		await switchToEnglish(page);
		await mainNav(page).getByRole('link', { name: 'Trainer desk' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trainer desk');
		await expect(page.getByRole('main').getByRole('listitem')).toHaveCount(1);
		await page.getByRole('link', { name: /CPR and AED/ }).click();
		await expect(page.getByRole('row')).toHaveCount(41);
		await page.getByRole('checkbox', { name: '学生1 present', exact: true }).check();
		await page.getByRole('checkbox', { name: '学生2 present', exact: true }).check();
		await page.getByRole('button', { name: 'Save attendance' }).click();
		await expect(page.getByRole('status')).toHaveText('Attendance saved');
		await expect(page.getByRole('row', { name: /学生1 / })).toContainText('Attended');
		await expect(page.getByRole('row', { name: /学生3 / })).toContainText('Guardian consented');

		await page.getByRole('link', { name: 'Assess 学生1', exact: true }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Assessment: 学生1');
		await page.getByRole('button', { name: 'Save the results' }).click();
		await expect(page.getByText('Choose pass or fail for every skill').first()).toBeVisible();
		for (const pass of await page.getByRole('radio', { name: 'Pass' }).all()) await pass.check();
		await page.getByRole('group', { name: 'Rescue breaths' }).getByRole('radio', { name: 'Fail' }).check();
		await page.getByRole('group', { name: 'Rescue breaths' }).getByLabel(/Note/).fill('Chest did not rise');
		await page.getByRole('button', { name: 'Save the results' }).click();
		await expect(page.getByRole('status')).toHaveText('Results saved');
		await page.getByRole('link', { name: 'Back to the list' }).click();
		await expect(page.getByRole('link', { name: 'Assess 学生1' })).toHaveText('4 of 5 skills passed');
		await expect(page.getByRole('link', { name: 'Assess 学生3' })).toHaveCount(0);
		await page.getByRole('link', { name: 'Print the sign-in sheet' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Sign-in sheet');
		await expect(page.getByRole('row')).toHaveCount(41);
	});
});
