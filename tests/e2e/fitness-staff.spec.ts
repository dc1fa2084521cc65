import { expect, test } from '@playwright/test';
import { addDays, isoWeekday, shanghaiDate, startOfWeek } from '../../src/lib/server/clock';
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

test('staff set a space’s opening hours and move one session, and the public pages follow', async ({ page }, testInfo) => {
	const title = `改时间 ${testInfo.project.name} ${Date.now() % 100_000}`;
	const day = addDays(shanghaiDate(new Date()), 2);
	const weekday = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'][isoWeekday(day) - 1]!;
	await logIn(page, DEMO.staff.phone, DEMO_PASSWORD, DEMO.staff.greeting);
	await open(page, '/staff/fitness');
	await page.getByRole('link', { name: '立新路口袋公园健身角' }).click();

	const hours = page.getByRole('region', { name: '开放时间' });
	await hours.getByRole('group', { name: '周一' }).getByLabel('开门').fill('07:00');
	await hours.getByRole('group', { name: '周日' }).getByLabel('开门').fill('');
	await hours.getByRole('group', { name: '周日' }).getByLabel('关门').fill('');
	await hours.getByRole('group', { name: '周二' }).getByLabel('关门').fill('');
	await hours.getByRole('button', { name: '保存开放时间' }).click();
	await expect(page.getByRole('group', { name: '周二' }).getByText('开门和关门时间要一起填，或者都留空')).toBeVisible();
	await page.getByRole('group', { name: '周二' }).getByLabel('关门').fill('21:30');
	await page.getByRole('button', { name: '保存开放时间' }).click();
	await expect(page.getByRole('status')).toHaveText('开放时间已保存');

	await page.getByLabel('类型').selectOption({ label: '自由使用' });
	await page.getByLabel('名称（中文）').first().fill(title);
	await page.getByLabel('名称（英文）').first().fill('Open use');
	await page.getByLabel('名额（人数上限）').first().fill('10');
	await page.getByLabel('星期').selectOption({ label: weekday });
	await page.getByLabel('开始时间').first().fill('14:00');
	await page.getByLabel('结束时间').first().fill('15:00');
	await page.getByLabel('从哪天起').fill(day);
	await page.getByLabel('到哪天止').fill(day);
	await page.getByRole('button', { name: '生成场次' }).click();
	await expect(page.getByRole('status')).toHaveText('已生成 1 个场次');

	await page
		.getByRole('region', { name: '接下来的场次' })
		.getByRole('listitem')
		.filter({ hasText: title })
		.getByRole('link', { name: /修改/ })
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('修改这一场');
	await page.getByLabel('开始时间').fill('16:00');
	await page.getByLabel('结束时间').fill('17:30');
	await page.getByLabel('名额（人数上限）').fill('12');
	await page.getByRole('button', { name: '保存修改' }).click();
	await expect(page.getByRole('status')).toContainText('已保存');
	await expect(page.getByText('已约 0 / 12 人')).toBeVisible();

	await open(page, '/fitness/spaces/2');
	const table = page.getByRole('table');
	await expect(table.getByRole('row', { name: /周一/ })).toContainText('07:00–21:30');
	await expect(table.getByRole('row', { name: /周日/ })).toContainText('不开放');
	// The public timetable may be a few seconds behind when another server process answers.
	await expect(async () => {
		await open(page, `/fitness?space=2&week=${startOfWeek(day)}`);
		await expect(page.getByRole('listitem').filter({ hasText: title })).toContainText('16:00–17:30', { timeout: 1000 });
	}).toPass({ timeout: 15_000 });
});
