/**
 * Issue 9: a class earns its first-aid certificates, in both projects (with and without JavaScript).
 * Staff add a session and import its class (a resident with an account among them); the trainer, in
 * Chinese, ticks everyone present and records passes, but issuing opens only once the class has
 * ended (the journey moves the session into the past, so it needs PostgreSQL); then the trainer
 * issues the whole class at once; the resident, in English, downloads the PDF and opens the QR
 * code's link, which says valid; staff revoke the certificate and the same link says revoked.
 * Every run makes its own people and session.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, logIn, logOut, mainNav, newResident, open, registerResident, switchToEnglish } from './support';
import { ENDS_SESSION, endSessionNow, requireDatabase } from './database';
import { own, registerTrainer, shanghai, staffCreatesSession } from './training-support';

test('a trainer issues a whole class; the holder downloads it and its QR link says valid, then revoked', async ({ page }, testInfo) => {
	test.setTimeout(240_000);
	const trainer = newResident(testInfo, '韩', own(testInfo, '证书师'));
	const holder = newResident(testInfo, '钱', own(testInfo, '持证'));
	const classmates = [own(testInfo, '同学一'), own(testInfo, '同学二')];
	const start = shanghai(40 * 60_000);
	requireDatabase(ENDS_SESSION);

	await test.step('a resident registers; a trainer is appointed', async () => {
		await registerResident(page, holder);
		await logOut(page);
		await registerTrainer(page, trainer);
	});

	await test.step('staff add the session and import the class, the resident among them', async () => {
		await staffCreatesSession(page, {
			date: start.date,
			time: start.time,
			capacity: 10,
			trainer: trainer.greeting,
			venue: ['东门社区党群服务中心', 'Dongmen community centre']
		});
		const rows = ['姓,名,手机号', `${holder.familyName},${holder.givenName},${holder.phone}`, ...classmates.map((g) => `孔,${g},`)];
		await page
			.getByLabel('名单文件')
			.setInputFiles({ name: 'class.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\r\n'), 'utf8') });
		await page.getByRole('button', { name: '检查并导入' }).click();
		await expect(page.getByRole('status').filter({ hasText: '已导入' })).toContainText('已导入 3 人（新建 2 人，匹配已有 1 人');
		await logOut(page);
	});

	await test.step('the trainer takes attendance, records passes and issues the whole class', async () => {
		await logIn(page, trainer.phone, trainer.password, trainer.greeting);
		await mainNav(page).getByRole('link', { name: '培训师工作台' }).click();
		await page.getByRole('main').locator('a[href^="/trainer/sessions/"]', { hasText: '心肺复苏与 AED 使用' }).click();
		const names = [`${holder.familyName}${holder.givenName}`, ...classmates.map((g) => `孔${g}`)];
		for (const name of names) await page.getByRole('checkbox', { name: `${name} 到场`, exact: true }).check();
		await page.getByRole('button', { name: '保存点名' }).click();
		await expect(page.getByRole('status')).toHaveText('点名已保存');
		for (const name of names) {
			await page.getByRole('link', { name: `考核 ${name}`, exact: true }).click();
			await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
			await expect(page.getByRole('radio', { name: '通过', exact: true })).toHaveCount(5);
			for (const pass of await page.getByRole('radio', { name: '通过', exact: true }).all()) await pass.check();
			await page.getByRole('button', { name: '保存考核结果' }).click();
			await expect(page.getByRole('status')).toHaveText('考核结果已保存');
			await page.getByRole('link', { name: '返回名单' }).click();
			await expect(page.getByRole('button', { name: '保存点名' })).toBeVisible();
		}
		await page.getByRole('link', { name: '发放证书' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('发放证书');
		// Before the class has ended nothing is offered: the page says when issuing opens.
		await expect(page.getByText('培训结束后才能发放证书')).toBeVisible();
		await expect(page.getByRole('button', { name: '为全班发放证书' })).toHaveCount(0);
		await endSessionNow(Number(/\/trainer\/sessions\/(\d+)\/certificates/.exec(page.url())![1]));
		await page.reload();
		// Names are checked first: without the tick nothing is issued.
		await page.getByRole('button', { name: '为全班发放证书' }).click();
		await expect(page.getByText('请先核对姓名并勾选确认')).toBeVisible();
		await page.getByRole('checkbox', { name: /我已核对以上姓名/ }).check();
		await page.getByRole('button', { name: '为全班发放证书' }).click();
		await expect(page.getByRole('status')).toHaveText('已发放 3 张证书');
		await expect(page.getByText(/已发放 · DM-FA-\d{4}-\d{6}-[A-Z]/)).toHaveCount(3);
		await logOut(page);
	});

	const link = await test.step('the holder, in English, downloads the PDF and opens the QR code’s link', async () => {
		await logIn(page, holder.phone, holder.password, holder.greeting);
		await switchToEnglish(page);
		await mainNav(page).getByRole('link', { name: 'My certificates' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('My certificates');
		const card = page.getByRole('listitem').filter({ hasText: 'CPR and AED' });
		await expect(card).toContainText('Valid');
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			card.getByRole('link', { name: /Download the certificate \(PDF\)/ }).click()
		]);
		expect(download.suggestedFilename()).toMatch(/^DM-FA-\d{4}-\d{6}-[A-Z]\.pdf$/);
		const pdf = await readFile(await download.path());
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.length).toBeGreaterThan(10_000);

		await card.getByRole('link', { name: /Show the verification QR code/ }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Certificate QR code');
		const link = await page.getByRole('img').getAttribute('aria-label');
		expect(link).toMatch(/\/verify\/[A-Za-z0-9_-]{22,}$/);
		await page.goto(link!);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verify a certificate');
		await expect(page.getByText('Valid certificate')).toBeVisible();
		await expect(page.getByText(`${holder.familyName}*`)).toBeVisible();
		await expect(page.getByRole('main').getByText(`${holder.familyName}${holder.givenName}`)).toHaveCount(0);
		await logOut(page);
		return link!;
	});

	await test.step('staff revoke it; the same link now says revoked', async () => {
		await page.context().clearCookies(); // the holder's choice of English stays with the holder
		await logIn(page, DEMO.staff.phone, DEMO_PASSWORD, DEMO.staff.greeting);
		await mainNav(page).getByRole('link', { name: '社区工作台' }).click();
		await page.getByRole('link', { name: '证书查询与撤销' }).click();
		await page.getByLabel('证书编号、姓名或手机号').fill(holder.phone);
		await page.getByRole('button', { name: '查找', exact: true }).click();
		await expect(page.getByRole('table').getByRole('row')).toHaveCount(2);
		await page
			.getByRole('table')
			.getByRole('link', { name: /DM-FA-/ })
			.click();
		await page.getByRole('button', { name: '撤销', exact: true }).click();
		await expect(page.getByText('请填写此项')).toBeVisible();
		await page.getByLabel('撤销原因').fill('考核记录有误');
		await page.getByRole('button', { name: '撤销', exact: true }).click();
		await expect(page.getByRole('status')).toContainText('证书已撤销');
		await logOut(page);
		await open(page, new URL(link).pathname);
		await expect(page.getByText(/证书已撤销|Revoked certificate/)).toBeVisible();
	});
});
