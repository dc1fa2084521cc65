import { expect, test } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, logIn, open } from './support';

test('staff add a weekly session to a space and close the space for a few days', async ({ page }, testInfo) => {
	const title = `早操 ${testInfo.project.name}`;
	await logIn(page, DEMO.staff.phone, DEMO_PASSWORD, DEMO.staff.greeting);
	await open(page, '/staff');
	await page.getByRole('link', { name: '健身场地管理' }).click();
	await page.getByRole('link', { name: '东门社区文化广场' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('东门社区文化广场');

	await page.getByLabel('类型').selectOption({ label: '团体课' });
	await page.getByLabel('名称（中文）').first().fill(title);
	await page.getByLabel('名称（英文）').first().fill('Morning exercises');
	await page.getByLabel('指导老师').fill('林老师');
	await page.getByLabel('名额（人数上限）').first().fill('15');
	await page.getByLabel('星期').selectOption({ label: '周二' });
	await page.getByLabel('开始时间').first().fill('07:00');
	await page.getByLabel('结束时间').first().fill('07:45');
	await page.getByLabel('从哪天起').fill('2031-03-01');
	await page.getByLabel('到哪天止').fill('2031-03-31');
	await page.getByRole('button', { name: '生成场次' }).click();
	await expect(page.getByRole('status')).toHaveText('已生成 4 个场次');
	const plan = page.getByRole('region', { name: '每周固定安排' }).getByRole('listitem').filter({ hasText: title });
	await expect(plan).toContainText('周二 07:00–07:45');
	await expect(plan).toContainText('2031-03-01 – 2031-03-31');

	await page.getByLabel('开始日期').fill('2031-03-10');
	await page.getByLabel('开始时间').last().fill('00:00');
	await page.getByLabel('结束日期').fill('2031-03-12');
	await page.getByLabel('结束时间').last().fill('00:00');
	await page.getByLabel('原因（中文）').fill('地面维修');
	await page.getByLabel('原因（英文）').fill('floor repairs');
	await page.getByRole('button', { name: '关闭场地并通知' }).click();
	await expect(page.getByRole('status')).toContainText('已关闭：取消');
});
