/**
 * Merging two records of one person, with and without JavaScript, in Chinese: a resident registers
 * and books a fitness session; staff, not finding them, register the same person again at the
 * counter and book them the same session; the admin finds both by name, previews the merge (both
 * records, what moves, the session both hold), confirms it, and sees the result and the audit entry.
 */
import { expect, test } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, logIn, logOut, newResident, open, registerResident } from './support';
import { own } from './training-support';

test('an admin finds two records of one person, previews the merge and confirms it', async ({ page }, testInfo) => {
	test.setTimeout(180_000);
	const resident = newResident(testInfo, '甄', own(testInfo, '合并'));
	const fullName = `${resident.familyName}${resident.givenName}`;
	await registerResident(page, resident);
	await logOut(page);

	const { walkInId, occurrenceId } = await test.step('staff register the same person at the counter and book a session', async () => {
		await logIn(page, DEMO.staff.phone, DEMO_PASSWORD, DEMO.staff.greeting);
		await open(page, '/staff/people/new');
		await page.getByLabel('姓', { exact: true }).fill(resident.familyName);
		await page.getByLabel('名', { exact: true }).fill(resident.givenName);
		await page.getByLabel('所在社区').selectOption({ label: '东门社区' });
		await page.getByRole('button', { name: '登记', exact: true }).click();
		await expect(page).toHaveURL(/\/staff\/people\/\d+\?created/);
		const walkInId = Number(/\/staff\/people\/(\d+)/.exec(page.url())![1]);
		// The last session offered (about two weeks ahead) is the one other journeys leave alone.
		const options = page.getByLabel('选择场次').locator('option');
		const occurrenceId = await options.last().getAttribute('value');
		await page.getByLabel('选择场次').selectOption(occurrenceId!);
		await page.getByRole('button', { name: '为这位居民预约' }).click();
		await expect(page.getByRole('status').filter({ hasText: '已为这位居民预约' })).toHaveText('已为这位居民预约。');
		await logOut(page);
		return { walkInId, occurrenceId: Number(occurrenceId) };
	});

	await test.step('the resident books the same session themself', async () => {
		await logIn(page, resident.phone, resident.password, resident.greeting);
		await open(page, `/occurrences/${occurrenceId}`);
		await page.getByRole('button', { name: /^(预约|加入候补)$/ }).click();
		await expect(page.getByRole('status')).toContainText(/预约成功|已加入候补/);
		await logOut(page);
	});

	await test.step('the admin finds both records by name and previews the merge', async () => {
		await logIn(page, DEMO.admin.phone, DEMO_PASSWORD, DEMO.admin.greeting);
		await open(page, '/admin/merge');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('合并居民档案');
		await page.getByLabel('姓名或手机号').fill(fullName);
		await page.getByRole('button', { name: '查找', exact: true }).click();
		const results = page.getByRole('table').filter({ hasText: '查找结果' });
		await expect(results.getByRole('row')).toHaveCount(3);
		// Names are masked: the family name and the last character only.
		const rows = results.locator('tbody');
		await expect(rows).toContainText(`${resident.familyName}*${resident.givenName.at(-1)}`);
		await expect(rows).not.toContainText(fullName);
		await expect(results.getByRole('cell', { name: '有账户', exact: true })).toHaveCount(1);
		await expect(results.getByRole('cell', { name: '没有账户', exact: true })).toHaveCount(1);

		const keep = page.getByLabel('保留的档案', { exact: true });
		const values = await keep.locator('option').evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
		const accountRecord = values.find((v) => v !== '' && v !== String(walkInId))!;
		await keep.selectOption(accountRecord);
		await page.getByLabel('并入后删除的档案', { exact: true }).selectOption(String(walkInId));
		await page.getByRole('button', { name: '预览合并' }).click();

		const preview = page.getByRole('region', { name: '合并预览' });
		const numbers = preview.getByRole('row').filter({ hasText: '档案编号' });
		await expect(numbers).toContainText(accountRecord);
		await expect(numbers).toContainText(String(walkInId));
		await expect(preview.getByRole('row').last().getByRole('cell')).toHaveText(['有账户', '没有账户']);
		await expect(preview).toContainText('预约和报名：1 个');
		await expect(preview).toContainText('两份档案都预约的场次');
		await expect(preview.getByRole('listitem').filter({ hasText: /\d{2}:\d{2}/ })).toHaveCount(1);
	});

	await test.step('the merge needs the tick, then is confirmed by its own POST', async () => {
		await page.getByRole('button', { name: '确认合并' }).click();
		await expect(page.getByText('请先勾选确认这两份档案是同一个人')).toBeVisible();
		await page.getByRole('checkbox', { name: '我已核对这两份档案是同一个人' }).check();
		await page.getByRole('button', { name: '确认合并' }).click();
		await expect(page.getByRole('status')).toContainText('已合并；取消了 1 个重复的预约。');
		await page.getByRole('link', { name: '查看操作记录' }).click();
		await expect(page).toHaveURL(/\/admin\/audit\?action=person\.merge/);
		// The entry names the merged-in record and the cancelled duplicate (the other project merges at the same time).
		const entry = page
			.getByRole('main')
			.getByRole('row')
			.filter({ hasText: `merged: ${walkInId}` });
		await expect(entry).toHaveCount(1);
		await expect(entry).toContainText('person.merge');
		await expect(entry).toContainText(/cancelled: \[\d+\]/);
	});

	await test.step('the merged-in record is gone', async () => {
		await open(page, `/admin/merge?q=${encodeURIComponent(fullName)}`);
		await expect(page.getByRole('table').filter({ hasText: '查找结果' }).getByRole('row')).toHaveCount(2);
	});
});
