/**
 * Issue 12 item 6: a roster file over the body limit (BODY_SIZE_LIMIT, 512 KB by default) gets a
 * message the staff member can act on — in the form with JavaScript, on a page in both languages
 * with a way back without it — never an error page.
 */
import { expect, test } from '@playwright/test';
import { DEMO } from './support';
import { shanghai, staffCreatesSession } from './training-support';

test('a roster file that is too large is refused with a message, not an error', async ({ page }, testInfo) => {
	test.setTimeout(120_000);
	const when = shanghai((testInfo.project.name === 'js' ? 11 : 12) * 24 * 60 * 60_000);
	const id = await staffCreatesSession(page, {
		date: when.date,
		time: '15:00',
		capacity: 30,
		trainer: DEMO.trainer.greeting,
		venue: ['东门社区活动室', 'Dongmen community room']
	});
	const row = '王,小明,13900000000,2012\r\n';
	const big = Buffer.from('姓,名,手机号,出生年份\r\n' + row.repeat(Math.ceil((600 * 1024) / Buffer.byteLength(row))), 'utf8');
	await page.getByLabel('名单文件').setInputFiles({ name: 'class.csv', mimeType: 'text/csv', buffer: big });
	await page.getByRole('button', { name: '检查并导入' }).click();

	if (testInfo.project.name === 'js') {
		// The page stays; the message sits above the form.
		await expect(page.getByRole('alert')).toHaveText('提交的文件或内容太大，最多 512 KB。请缩小文件（例如分成几份）后再试。');
		await expect(page.getByRole('heading', { level: 2, name: '导入团体名单（CSV）' })).toBeVisible();
	} else {
		await expect(page.getByRole('heading', { level: 1, name: '内容太大' })).toBeVisible();
		await expect(page.getByRole('heading', { level: 1, name: 'Too large' })).toBeVisible();
		await expect(page.getByText('The file or form sent is too large: at most 512 KB.')).toBeVisible();
		await page.getByRole('link', { name: '返回上一页' }).click();
		await expect(page).toHaveURL(new RegExp(`/staff/training/sessions/${id}(\\?.*)?$`));
		await expect(page.getByRole('heading', { level: 2, name: '导入团体名单（CSV）' })).toBeVisible();
	}
});
