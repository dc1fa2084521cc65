/**
 * Issue 12 item 2: keyboard-only journeys. A resident logs in, books a family doctor and enrols in a
 * first-aid session with Tab, Shift+Tab, Enter, Space and the arrow keys only (no clicks, no
 * fill): each focused element must show a visible focus ring, and after sending a form the focus
 * lands on its answer (the error summary, the confirmation) or at the top of the new page.
 * Only the setup (registering the person) uses the ordinary helpers.
 */
import { expect, test, type Page } from '@playwright/test';
import { newResident, open, registerResident, logOut } from './support';

type Focused = { tag: string; href: string; text: string; role: string; name: string; outline: string; shadow: string };

async function focused(page: Page): Promise<Focused> {
	return page.evaluate(() => {
		const el = document.activeElement as HTMLElement | null;
		if (!el || el === document.body) return { tag: 'body', href: '', text: '', role: '', name: '', outline: '', shadow: '' };
		const style = getComputedStyle(el);
		return {
			tag: el.tagName.toLowerCase(),
			href: el.getAttribute('href') ?? '',
			text: (el.innerText || (el as HTMLInputElement).value || '').trim(),
			role: el.getAttribute('role') ?? '',
			name: el.getAttribute('name') ?? '',
			outline: style.outlineStyle === 'none' ? '' : `${style.outlineWidth} ${style.outlineStyle}`,
			shadow: style.boxShadow === 'none' ? '' : style.boxShadow
		};
	});
}

/** The focus ring is there: an outline of at least 2 px (the portal's :focus-visible) or a shadow. */
async function expectVisibleFocus(page: Page, what: string): Promise<void> {
	const f = await focused(page);
	expect(f.tag, `${what}: something has the focus`).not.toBe('body');
	expect(f.outline !== '' && parseFloat(f.outline) >= 2 ? true : f.shadow !== '', `${what}: focus ring on ${JSON.stringify(f)}`).toBe(true);
	// And it is on screen.
	const inView = await page.evaluate(() => {
		const r = (document.activeElement as HTMLElement).getBoundingClientRect();
		return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
	});
	expect(inView, `${what}: the focused element is in view`).toBe(true);
}

/** Presses Tab (or Shift+Tab) until the focused element matches, checking the ring at each stop. */
async function tabTo(page: Page, matches: (f: Focused) => boolean, what: string, { back = false, max = 120 } = {}): Promise<void> {
	for (let i = 0; i < max; i++) {
		await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
		const f = await focused(page);
		if (f.tag !== 'body') await expectVisibleFocus(page, `on the way to ${what}`);
		if (matches(f)) return;
	}
	throw new Error(`Tab never reached ${what}`);
}

test('a resident books a family doctor and enrols in first-aid training with the keyboard alone', async ({ page }, testInfo) => {
	test.setTimeout(120_000);
	const resident = newResident(testInfo, '孙', '淑珍');
	await registerResident(page, resident);
	await logOut(page);

	// Log in from the home page: the first Tab reaches the skip link, then the header.
	await open(page, '/');
	await page.keyboard.press('Tab');
	expect((await focused(page)).text).toBe('跳到主要内容');
	await expectVisibleFocus(page, 'skip link');
	await tabTo(page, (f) => f.href === '/login', 'the log-in link');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^登录/);
	await tabTo(page, (f) => f.name === 'login', 'the log-in field');
	await page.keyboard.type(resident.phone);
	await page.keyboard.press('Tab');
	expect((await focused(page)).name).toBe('password');
	await page.keyboard.type('not the password at all');
	await page.keyboard.press('Enter');
	// A refusal: the focus is on the error summary, and the next Tab goes on into the form.
	const summary = page.getByRole('alert');
	await expect(summary).toBeVisible();
	if (testInfo.project.use.javaScriptEnabled !== false) {
		await expect(summary).toBeFocused();
	}
	await tabTo(page, (f) => f.name === 'password', 'the password field');
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.type(resident.password);
	// Back to the log-in field with Shift+Tab: it kept what was typed.
	await tabTo(page, (f) => f.name === 'login', 'the log-in field, backwards', { back: true });
	await tabTo(page, (f) => f.tag === 'button' && f.text === '登录', 'the log-in button');
	await page.keyboard.press('Space');
	await expect(page.getByText(`已登录：${resident.greeting}`)).toBeVisible();

	// The doctors: from the navigation to a doctor, a day and a free slot.
	await tabTo(page, (f) => f.href === '/doctors', 'the doctors link');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('家庭医生工作室');
	await tabTo(page, (f) => /^\/doctors\/\d+$/.test(f.href) && f.text.includes('陈志明'), 'the demo doctor');
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/doctors\/\d+$/);
	// A day of the fortnight that no other journey books (doctors.spec uses the first four and the last).
	const day = testInfo.project.name === 'no-js' ? 5 : 4;
	let freeDays = 0;
	await tabTo(page, (f) => /\?day=/.test(f.href) && /\d+ 个空号/.test(f.text) && freeDays++ === day, `free day number ${day}`);
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\?day=\d{4}-\d{2}-\d{2}$/);
	await tabTo(page, (f) => f.href.includes('/book?start='), 'a free slot');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('确认预约');
	// Other journeys book the demo doctor at the same time: a slot taken meanwhile offers the nearest
	// free times, and the keyboard takes the first of them.
	if (await page.getByText('这个时间刚刚被别人约走了').isVisible()) {
		await tabTo(page, (f) => f.href.includes('/book?start='), 'the nearest free time');
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('确认预约');
	}

	// The service is a radio group: Tab enters it, the arrow keys choose.
	await tabTo(page, (f) => f.name === 'service', 'the service choice');
	const checkedService = () => page.locator('input[name="service"]:checked').getAttribute('value');
	const first = await checkedService();
	await page.keyboard.press('ArrowDown');
	await expect.poll(checkedService).not.toBe(first);
	await page.keyboard.press('Tab');
	expect((await focused(page)).name).toBe('reason');
	await page.keyboard.type('血压复查');
	await tabTo(page, (f) => f.tag === 'button' && f.text === '确认预约', 'the confirm button');
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/me\/appointments\/\d+\?booked=1$/);
	await expect(page.getByRole('status')).toHaveText('预约成功！请按时到工作室。');
	await expect(page.getByRole('main')).toContainText('血压复查');
	// A new page: the focus starts again at its top (the skip link comes first).
	await page.keyboard.press('Tab');
	expect((await focused(page)).text).toBe('跳到主要内容');

	// First-aid training: a session with places, enrolled with the keyboard.
	await tabTo(page, (f) => f.href === '/training', 'the training link');
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/training$/);
	await tabTo(page, (f) => /^\/occurrences\/\d+$/.test(f.href), 'a training session');
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL(/\/occurrences\/\d+$/);
	const session = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();
	await tabTo(page, (f) => f.tag === 'button' && /^(报名|预约|排队|加入)/.test(f.text), 'the enrol button');
	await page.keyboard.press('Enter');
	const confirmation = page.getByRole('status');
	await expect(confirmation).toBeVisible();
	if (testInfo.project.use.javaScriptEnabled !== false) await expect(confirmation).toBeFocused();
	await open(page, '/me/training');
	await expect(page.getByRole('main')).toContainText(session);
});
