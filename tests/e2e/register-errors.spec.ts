/**
 * Issue 3, "bad input": the register form sent with its required fields empty answers
 * with a message next to each field, in the reader's language, keeps what was typed elsewhere, and
 * ties each message to its field (aria-invalid, aria-describedby). None of these sends is a valid
 * registration, so none counts against the registration limit.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { chineseLeftOn, freshPhone, open, switchToEnglish } from './support';

/** The field is marked invalid and described by a visible message, placed with the field. */
async function expectFieldError(field: Locator, message: string) {
	await expect(field).toHaveAttribute('aria-invalid', 'true');
	const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
	const ids = describedBy.split(/\s+/).filter(Boolean);
	const page = field.page();
	const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
	expect(texts, `aria-describedby="${describedBy}"`).toContain(message);
	const id = ids[texts.indexOf(message)]!;
	const messageElement = page.locator(`[id="${id}"]`);
	await expect(messageElement).toBeVisible();
	await expect(field).toHaveAccessibleDescription(new RegExp(escape(message)));
	// Next to the field: in the same field group (the nearest enclosing div), close to it on the screen.
	await expect(field.locator('xpath=ancestor::div[1]').locator(`[id="${id}"]`)).toHaveCount(1);
	const [fieldBox, messageBox] = await Promise.all([field.boundingBox(), messageElement.boundingBox()]);
	expect(Math.abs(fieldBox!.y - messageBox!.y), 'distance between field and message').toBeLessThan(120);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function expectNoError(field: Locator) {
	await expect(field).not.toHaveAttribute('aria-invalid', 'true');
}

type Labels = {
	familyName: string;
	givenName: string;
	displayName: RegExp;
	phone: RegExp;
	email: RegExp;
	birthYear: RegExp;
	community: string;
	password: string;
	privacy: string;
	submit: string;
};

const ZH: Labels = {
	familyName: '姓',
	givenName: '名',
	displayName: /^称呼/,
	phone: /^手机号/,
	email: /^电子邮箱/,
	birthYear: /^出生年份/,
	community: '所在社区',
	password: '密码',
	privacy: '我已阅读并同意《隐私声明》',
	submit: '注册'
};

const EN: Labels = {
	familyName: 'Family name',
	givenName: 'Given name',
	displayName: /^How we address you/,
	phone: /^Mobile number/,
	email: /^E-mail/,
	birthYear: /^Year of birth/,
	community: 'Community',
	password: 'Password',
	privacy: 'I have read and accept the privacy notice',
	submit: 'Register'
};

function form(page: Page, l: Labels) {
	const exact = { exact: true };
	return {
		familyName: page.getByLabel(l.familyName, exact),
		givenName: page.getByLabel(l.givenName, exact),
		displayName: page.getByLabel(l.displayName),
		phone: page.getByLabel(l.phone),
		email: page.getByLabel(l.email),
		birthYear: page.getByLabel(l.birthYear),
		community: page.getByLabel(l.community, exact),
		password: page.getByLabel(l.password, exact),
		privacy: page.getByRole('checkbox', { name: l.privacy }),
		submit: page.getByRole('button', { name: l.submit, exact: true })
	};
}

test('the register form sent with the required fields empty marks each of them, in Chinese', async ({ page }, testInfo) => {
	const phone = freshPhone(testInfo);
	await open(page, '/register');
	const f = form(page, ZH);
	await f.displayName.fill('小梅');
	await f.phone.fill(phone);
	await f.birthYear.fill('1958');
	await f.privacy.check();
	await f.submit.click();

	await expect(page.getByRole('alert')).toHaveText('请检查标出的项目后重新提交');
	await expect(page).toHaveURL(/\/register$/);
	await expectFieldError(f.familyName, '请填写此项');
	await expectFieldError(f.givenName, '请填写此项');
	await expectFieldError(f.community, '请选择所在社区');
	await expectFieldError(f.password, '请填写此项');

	// What was typed is still there (except the password, which never comes back).
	await expect(f.displayName).toHaveValue('小梅');
	await expect(f.phone).toHaveValue(phone);
	await expect(f.birthYear).toHaveValue('1958');
	await expect(f.privacy).toBeChecked();
	await expect(f.email).toHaveValue('');
	for (const field of [f.displayName, f.phone, f.email, f.birthYear, f.privacy]) await expectNoError(field);
	// The hint stays part of the description next to the message.
	await expect(f.familyName).toHaveAccessibleDescription(/请填写证件上的姓名/);

	// Names given, the privacy notice not accepted: that message is tied to the checkbox.
	await f.familyName.fill('李');
	await f.givenName.fill('小梅');
	await f.community.selectOption({ label: '东门社区' });
	await f.password.fill('red kite over the bay');
	await f.privacy.uncheck();
	await f.submit.click();
	await expectFieldError(f.privacy, '请阅读并同意隐私声明');
	for (const field of [f.familyName, f.givenName, f.community, f.password]) await expectNoError(field);
	await expect(f.familyName).toHaveValue('李');
	await expect(f.community.locator('option:checked')).toHaveText('东门社区');
	await expect(f.phone).toHaveValue(phone);
});

test('after switching to English the same errors come in English, and nothing else is Chinese', async ({ page }, testInfo) => {
	const phone = freshPhone(testInfo);
	await open(page, '/register');
	await switchToEnglish(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create an account');
	// Soft: a wrong <html lang> is reported, and the field messages are still checked.
	await expect.soft(page.locator('html')).toHaveAttribute('lang', 'en');
	const f = form(page, EN);
	await f.displayName.fill('Auntie Li');
	await f.email.fill('li.xiaomei@example.com');
	await f.phone.fill(phone);
	await f.submit.click();

	await expect(page.getByRole('alert')).toHaveText('Please check the marked fields and send the form again');
	await expectFieldError(f.familyName, 'Please fill this in');
	await expectFieldError(f.givenName, 'Please fill this in');
	await expectFieldError(f.community, 'Choose your community');
	await expectFieldError(f.password, 'Please fill this in');
	await expect(f.displayName).toHaveValue('Auntie Li');
	await expect(f.email).toHaveValue('li.xiaomei@example.com');
	await expect(f.phone).toHaveValue(phone);
	await expect(f.privacy).not.toBeChecked();
	expect(await chineseLeftOn(page, []), 'Chinese text left on the English register page with errors').toEqual([]);

	// A malformed phone gets its own English message, the rest stays.
	await f.phone.fill('12345');
	await f.submit.click();
	await expectFieldError(f.phone, 'Enter an 11-digit mainland China mobile number, e.g. 13800138000');
	await expect(f.phone).toHaveValue('12345');
	await expect(f.displayName).toHaveValue('Auntie Li');
});

test('what a resident types before the page script has loaded is kept', async ({ page }, testInfo) => {
	test.skip(testInfo.project.use.javaScriptEnabled === false, 'only a page with a script can lose typing while it starts');
	// A slow phone connection: the page's scripts arrive a second and a half after its HTML.
	await page.route('**/_app/**/*.js', async (route) => {
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		await route.continue();
	});
	await page.goto('/register', { waitUntil: 'domcontentloaded' });
	const f = form(page, ZH);
	await f.familyName.fill('李');
	await f.givenName.fill('小梅');
	await page.waitForLoadState('networkidle');
	await expect(f.familyName).toHaveValue('李');
	await expect(f.givenName).toHaveValue('小梅');
});
