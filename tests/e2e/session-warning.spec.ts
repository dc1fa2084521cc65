/**
 * Issue 12 item 2: a warning before the session ends while a form is open, with "stay logged in".
 * Sessions end 72 h after the last request (SESSION_IDLE_HOURS) or 30 days after log-in
 * (src/lib/server/auth/session.ts). The page counts down the time the server sent; the browser's
 * clock is Playwright's fake one, moved forward, so nothing waits 72 hours. The server's side is
 * read from the database when the journeys run on PostgreSQL.
 */
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { newResident, open, registerResident, switchToEnglish } from './support';

async function sql<T extends Record<string, unknown>>(text: string, values: unknown[]): Promise<T[]> {
	const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
	await client.connect();
	try {
		return (await client.query<T>(text, values)).rows;
	} finally {
		await client.end();
	}
}

const MINUTE = 60_000;
const SESSION_OF = `SELECT s.id, s.last_verified_at, s.expires_at FROM session s JOIN account a ON a.id = s.account_id WHERE a.login_phone = $1`;

test('a warning comes five minutes before the session ends; "stay logged in" keeps the form and the session', async ({
	page
}, testInfo) => {
	test.skip(testInfo.project.use.javaScriptEnabled === false, 'the warning needs JavaScript (see the no-JS test below)');
	const onPostgres = !!process.env.E2E_DATABASE_URL;
	await page.clock.install();
	const resident = newResident(testInfo, '钱', '慧敏');
	await registerResident(page, resident);

	await open(page, '/account');
	const field = page.getByLabel(/^称呼/).first();
	await field.fill('钱阿姨');
	await expect(page.getByRole('alert')).toHaveCount(0);

	// 71 h 56 min later, with no request in between: four minutes left.
	await page.clock.fastForward((71 * 60 + 56) * MINUTE);
	const warning = page.getByRole('alert').filter({ hasText: '您的登录将在' });
	await expect(warning).toHaveText(/您的登录将在 [45] 分钟内结束/);
	// It does not take the focus away from the field being filled in.
	await expect(field).toBeFocused();

	if (onPostgres) {
		// Make the server's record old enough to see it move (less than the hourly push-back).
		await sql(`UPDATE session SET last_verified_at = now() - interval '50 minutes' WHERE id IN (SELECT id FROM (${SESSION_OF}) s)`, [
			resident.phone
		]);
	}
	await page.getByRole('button', { name: '保持登录' }).click();
	await expect(warning).toHaveCount(0);
	await expect(page.getByText('已为您保持登录。')).toBeAttached();
	await expect(field).toHaveValue('钱阿姨');
	await expect(field).toBeFocused();
	if (onPostgres) {
		const [session] = await sql<{ last_verified_at: Date }>(SESSION_OF, [resident.phone]);
		expect(Date.now() - session!.last_verified_at.getTime(), 'the session was pushed back just now').toBeLessThan(60_000);
	}

	// The count starts again from the server's answer: no warning a few minutes later.
	await page.clock.fastForward(10 * MINUTE);
	await expect(page.getByRole('alert')).toHaveCount(0);

	// Left alone past the end: the page says so and offers to log in again.
	await page.clock.fastForward(72 * 60 * MINUTE);
	await expect(page.getByRole('alert')).toHaveText('您的登录已经结束。请先复制正在填写的内容，再重新登录。');
	await expect(page.getByRole('link', { name: '重新登录' })).toHaveAttribute('href', '/login?next=%2Faccount');
});

test('near the absolute end of a session the warning offers no extension, in English', async ({ page }, testInfo) => {
	test.skip(testInfo.project.use.javaScriptEnabled === false, 'the warning needs JavaScript');
	test.skip(!process.env.E2E_DATABASE_URL, 'moves the session’s absolute expiry in the database (PostgreSQL only)');
	const resident = newResident(testInfo, '钱', '立新');
	await registerResident(page, resident);
	await sql(`UPDATE session SET expires_at = now() + interval '3 minutes' WHERE id IN (SELECT id FROM (${SESSION_OF}) s)`, [
		resident.phone
	]);
	await switchToEnglish(page);
	await open(page, '/account');
	await expect(page.getByRole('alert')).toHaveText(/^Your log-in ends within [34] minutes and cannot be extended\./);
	await expect(page.getByRole('button', { name: 'Stay logged in' })).toHaveCount(0);
});

test('without JavaScript no warning shows, and the session page keeps the log-in by a plain form', async ({ page }, testInfo) => {
	test.skip(testInfo.project.use.javaScriptEnabled !== false, 'runs in the no-JS project only');
	const resident = newResident(testInfo, '钱', '秀兰');
	await registerResident(page, resident);
	await open(page, '/account');
	await expect(page.getByText('您的登录将在')).toHaveCount(0);
	await open(page, '/session');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录状态');
	await expect(page.getByText(/如果没有操作，您的登录大约在 7[12] 小时后结束。/)).toBeVisible();
	await page.getByRole('button', { name: '保持登录' }).click();
	await expect(page.getByRole('status')).toHaveText('已为您保持登录。');
});
