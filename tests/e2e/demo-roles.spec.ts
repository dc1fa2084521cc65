/**
 * Issue 3: each demo account (seeded because the journeys' server runs with DEMO=1; log-ins and
 * password come from src/lib/server/demo/seed.ts) sees the navigation of its role, can open its
 * own area, and gets the friendly 403 page elsewhere.
 * The demo accounts are only read here: no language or text-size change is saved to them.
 */
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, demoAccount, logIn, mainNav, open } from './support';

const AREAS = [
	{ role: 'doctor', path: '/doctor', link: '医生工作台', title: '家庭医生' },
	{ role: 'trainer', path: '/trainer', link: '培训师工作台', title: '急救培训师' },
	{ role: 'staff', path: '/staff', link: '社区工作台', title: '社区工作人员（东门社区）' },
	{ role: 'admin', path: '/admin', link: '系统管理', title: '系统管理员' }
] as const;

test('the demo resident sees no staff area and gets the 403 page at each of them', async ({ page }) => {
	const resident = demoAccount('resident');
	await logIn(page, resident.phone, DEMO_PASSWORD, resident.greeting);
	const nav = mainNav(page);
	await expect(nav.getByRole('link', { name: '首页', exact: true })).toBeVisible();
	await expect(nav.getByRole('link', { name: '我的账户', exact: true })).toBeVisible();
	for (const area of AREAS) await expect(nav.getByRole('link', { name: area.link })).toHaveCount(0);

	for (const area of AREAS) {
		const response = await open(page, area.path);
		expect(response?.status(), area.path).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('没有权限');
		await expect(page.getByText('您的账户没有打开这个页面的权限。')).toBeVisible();
		// Still logged in, and the header is the resident's own.
		await expect(page.getByText(`已登录：${resident.greeting}`)).toBeVisible();
	}
});

for (const area of AREAS) {
	test(`the demo ${area.role} sees ${area.link} in the navigation and opens it`, async ({ page }) => {
		const account = demoAccount(area.role);
		await logIn(page, account.phone, DEMO_PASSWORD, account.greeting);
		const nav = mainNav(page);
		await expect(nav.getByRole('link', { name: '首页', exact: true })).toBeVisible();
		await expect(nav.getByRole('link', { name: area.link, exact: true })).toBeVisible();
		await expect(nav.getByRole('link', { name: '我的账户', exact: true })).toBeVisible();
		for (const other of AREAS.filter((a) => a !== area)) await expect(nav.getByRole('link', { name: other.link })).toHaveCount(0);

		await nav.getByRole('link', { name: area.link }).click();
		await expect(page).toHaveURL(new RegExp(`${area.path}$`));
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(area.link);
		await expect(nav.getByRole('link', { name: area.link })).toHaveAttribute('aria-current', 'page');
		if (area.role === 'staff') await expect(page.getByText('您负责的社区：东门社区')).toBeVisible();

		// The account page lists the role (with its community, when scoped) next to 居民.
		await nav.getByRole('link', { name: '我的账户' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的账户');
		await expect(page.getByRole('main')).toContainText('居民');
		await expect(page.getByRole('main')).toContainText(area.title);

		// Another area stays closed to this role.
		const closed = AREAS.find((a) => a !== area)!;
		const response = await open(page, closed.path);
		expect(response?.status(), closed.path).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('没有权限');
	});
}
