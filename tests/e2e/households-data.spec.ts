/**
 * Personal-data rights, with and without JavaScript: a resident downloads everything the portal
 * holds about them (JSON and the CSV bundle, in Chinese) and finds their own data in both; another
 * resident, in English, reads what deleting the account means, is refused with a wrong password,
 * deletes the account with the right one, is logged out, and their certificate then verifies only
 * as "holder removed".
 */
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import pg from 'pg';
import { requireDatabase } from './database';
import { newResident, open, registerResident, switchToEnglish } from './support';
import { own } from './training-support';

type Row = Record<string, unknown>;

test('a resident downloads their data as JSON and as a CSV bundle, in Chinese', async ({ page }, testInfo) => {
	const resident = newResident(testInfo, '屈', own(testInfo, '数据'));
	await registerResident(page, resident);
	await open(page, '/me/data');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的数据');

	await test.step('the JSON file holds the person and their account, without the password hash', async () => {
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 JSON 文件' }).click()]);
		expect(download.suggestedFilename()).toBe('healthy-dongmen-my-data.json');
		const data = JSON.parse(await readFile(await download.path(), 'utf8')) as { person_id: number; tables: Record<string, Row[]> };
		expect(data.tables.person).toEqual([
			expect.objectContaining({
				id: data.person_id,
				family_name: resident.familyName,
				given_name: resident.givenName,
				phone: resident.phone
			})
		]);
		expect(data.tables.account).toEqual([expect.objectContaining({ login_phone: resident.phone, person_id: data.person_id })]);
		expect(data.tables.account![0]).not.toHaveProperty('password_hash');
		// The session the resident is using right now is theirs too.
		expect(data.tables.session?.length).toBeGreaterThan(0);
	});

	await test.step('the ZIP holds one CSV per table, with the same data', async () => {
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: '下载 CSV 文件包（ZIP）' }).click()
		]);
		expect(download.suggestedFilename()).toBe('healthy-dongmen-my-data.zip');
		const files = unzipSync(new Uint8Array(await readFile(await download.path())));
		expect(Object.keys(files)).toEqual(expect.arrayContaining(['person.csv', 'account.csv', 'community_membership.csv']));
		const person = strFromU8(files['person.csv']!);
		expect(person).toContain(`"${resident.familyName}"`);
		expect(person).toContain(`"${resident.givenName}"`);
		expect(person).toContain(`"${resident.phone}"`);
		expect(strFromU8(files['account.csv']!)).not.toContain('password_hash');
	});
});

const WRITES_CERTIFICATE = 'writes a first-aid certificate for the resident into the database';

/** A first-aid certificate for the resident, as a trainer would have issued it last month; returns its QR code's secret. */
async function certificateFor(phone: string): Promise<string> {
	const client = new pg.Client({ connectionString: requireDatabase(WRITES_CERTIFICATE) });
	await client.connect();
	const one = async <T extends Row>(text: string, values: unknown[] = []) => (await client.query<T>(text, values)).rows[0]!;
	const code = Array.from({ length: 32 }, () => 'abcdefghijklmnopqrstuvwxyz234567'[randomInt(32)]).join('');
	try {
		await client.query('BEGIN');
		const person = await one<{ id: string; family_name: string; given_name: string; community_id: string }>(
			`SELECT p.id, p.family_name, p.given_name, m.community_id FROM person p JOIN account a ON a.person_id = p.id
			 JOIN community_membership m ON m.person_id = p.id AND m.valid_to IS NULL WHERE a.login_phone = $1`,
			[phone]
		);
		const course = await one<{ id: string }>(`SELECT id FROM training_course ORDER BY id LIMIT 1`);
		const trainer = await one<{ id: string }>(`SELECT id FROM account WHERE login_phone = '13800000002'`);
		const occurrence = await one<{ id: string }>(
			`INSERT INTO occurrence (programme, community_id, title_zh, title_en, starts_at, ends_at, capacity, created_at)
			 VALUES ('training', $1, '心肺复苏与 AED 使用', 'CPR and AED', now() - interval '20 days', now() - interval '20 days' + interval '3 hours', 10, now())
			 RETURNING id`,
			[person.community_id]
		);
		await client.query(
			`INSERT INTO training_session (occurrence_id, course_id, trainer_account_id, venue_zh, venue_en) VALUES ($1, $2, $3, '东门社区党群服务中心', 'Dongmen community centre')`,
			[occurrence.id, course.id, trainer.id]
		);
		const reservation = await one<{ id: string }>(
			`INSERT INTO reservation (occurrence_id, person_id, status, during, checked_in_at, booked_by, created_at, updated_at)
			 SELECT o.id, $2, 'attended', tstzrange(o.starts_at, o.ends_at, '[)'), o.starts_at, NULL, now(), now() FROM occurrence o WHERE o.id = $1
			 RETURNING id`,
			[occurrence.id, person.id]
		);
		await client.query(
			`INSERT INTO certificate (number, verification_code, reservation_id, person_id, course_id, holder_family_name, holder_given_name,
			   trained_on, valid_until, issued_at, issued_by)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, (now() - interval '20 days')::date, (now() + interval '700 days')::date, now(), $8)`,
			[
				`DM-FA-2026-${String(randomInt(900_000, 999_999))}-Z`,
				code,
				reservation.id,
				person.id,
				course.id,
				person.family_name,
				person.given_name,
				trainer.id
			]
		);
		await client.query('COMMIT');
	} catch (error) {
		await client.query('ROLLBACK');
		throw error;
	} finally {
		await client.end();
	}
	return code;
}

test('a resident deletes their account, in English: explained, password checked, logged out, certificate "holder removed"', async ({
	page
}, testInfo) => {
	requireDatabase(WRITES_CERTIFICATE);
	const resident = newResident(testInfo, '祁', own(testInfo, '注销'));
	await registerResident(page, resident);
	const code = await certificateFor(resident.phone);
	await switchToEnglish(page);

	await test.step('the certificate verifies as valid before', async () => {
		await open(page, `/verify/${code}`);
		await expect(page.getByText('Valid certificate')).toBeVisible();
	});

	await open(page, '/me/data');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('My data');
	const form = page.getByRole('region', { name: 'Delete my account' });

	await test.step('the page explains what deleting means', async () => {
		await expect(form.getByText(/names, mobile number, e-mail, year of birth, appointment reasons and notes are erased/)).toBeVisible();
		await expect(form.getByText(/All your log-in sessions end at once/)).toBeVisible();
		await expect(form.getByText(/verify only as "holder removed"/)).toBeVisible();
	});

	await test.step('a wrong password is refused next to the field, and nothing happens', async () => {
		await form.getByLabel('Enter your password again to confirm').fill('not my password at all');
		await form.getByRole('checkbox', { name: /I understand what happens/ }).check();
		await form.getByRole('button', { name: 'Delete my account for good' }).click();
		const field = page.getByLabel('Enter your password again to confirm');
		await expect(field).toHaveAccessibleDescription('The password is not correct');
		await expect(field).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
	});

	await test.step('the right password deletes the account and logs out', async () => {
		await page.getByLabel('Enter your password again to confirm').fill(resident.password);
		await page.getByRole('checkbox', { name: /I understand what happens/ }).check();
		await page.getByRole('button', { name: 'Delete my account for good' }).click();
		await expect(page).toHaveURL(/\/account\/deleted$/);
		await expect(page.getByText('Your account is deleted and your personal data erased.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
		await open(page, '/me/data');
		await expect(page).toHaveURL(/\/login/);
	});

	await test.step('the certificate now verifies only as "holder removed"', async () => {
		await open(page, `/verify/${code}`);
		await expect(page.getByText(/^Holder removed/)).toBeVisible();
		await expect(page.getByText('Valid certificate')).toHaveCount(0);
		await expect(page.getByRole('main')).not.toContainText(resident.familyName);
	});
});
