/**
 * The README's first command, as a newcomer runs it: `npm start` with nothing set, then the demo
 * resident logs in from a browser at http://localhost:<port> and at http://127.0.0.1:<port> — with
 * JavaScript (project js) and without (project no-js). Before the fix every form post was refused
 * ("Cross-site POST form submissions are forbidden"): adapter-node assumed https without ORIGIN.
 */
import { expect, test } from '@playwright/test';
import { startAsNewcomer, type Newcomer } from '../helpers/newcomer';
import { DEMO, DEMO_PASSWORD, hydrated } from './support';

let portal: Newcomer;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
	test.setTimeout(180_000);
	portal = await startAsNewcomer();
});
test.afterAll(async () => {
	await portal?.stop();
});

test('npm start says where it serves only once it listens, on this machine only', () => {
	const out = portal.output();
	expect(out).toContain(`Listening on http://127.0.0.1:${portal.port}`);
	expect(out.indexOf(`Serving on http://localhost:${portal.port}`)).toBeGreaterThan(out.indexOf('Listening on'));
	expect(out).not.toContain('npm run preview');
});

for (const host of ['localhost', '127.0.0.1']) {
	test(`the demo resident logs in at http://${host}`, async ({ page }) => {
		const base = `http://${host}:${portal.port}`;
		await page.goto(`${base}/login`);
		await hydrated(page);
		await page.getByLabel('手机号或电子邮箱').fill(DEMO.resident.phone);
		await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: '登录', exact: true }).click();
		await expect(page).toHaveURL(`${base}/`);
		await expect(page.getByText(`已登录：${DEMO.resident.greeting}`)).toBeVisible();
		// Other form posts of the signed-in person go through too: the language, there and back
		// (it is kept in the account, which the next test logs in to), and logging out.
		await page.getByRole('button', { name: 'Switch to English' }).click();
		await page.getByRole('button', { name: '切换到中文' }).click();
		await expect(page.getByRole('button', { name: 'Switch to English' })).toBeVisible();
		await page.getByRole('button', { name: '退出登录' }).click();
		await expect(page.getByRole('link', { name: '登录' })).toBeVisible();
	});
}
