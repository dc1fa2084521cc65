/**
 * Direct access to the journeys' database, for what a journey sets up there, only when the server
 * runs on PostgreSQL (npm test with TEST_DATABASE_URL): on the embedded database the server holds
 * the data directory alone. And what a person would receive outside the browser (the SMS with a
 * reset link), from the messages the server wrote to a folder — on either database.
 */
import { test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * The journeys' database URL, or the test is skipped (a failure under CI or REQUIRE_E2E).
 * `purpose` says what the journey does there: it is the skip reason npm test's summary shows.
 */
export function requireDatabase(purpose: string): string {
	const url = process.env.E2E_DATABASE_URL;
	if (!url) {
		if (process.env.CI || process.env.REQUIRE_E2E)
			throw new Error(`This journey ${purpose} and needs E2E_DATABASE_URL (run npm test with TEST_DATABASE_URL).`);
		console.warn(`[e2e] LEFT OUT: this journey ${purpose} and needs PostgreSQL (set TEST_DATABASE_URL).`);
		test.skip(true, `needs PostgreSQL (set TEST_DATABASE_URL): ${purpose}`);
	}
	return url!;
}

export const ENDS_SESSION = 'moves its training session into the past (certificates are issued once a session has ended)';
export const MAKES_ENGLISH_DOCTOR = 'writes a doctor with an English-reading account and a visit into the database';

/**
 * The newest password link sent to a phone number or e-mail address, as the person would receive
 * it: the journeys' server writes every message it sends to MESSAGE_DIR (playwright.config.ts).
 * Not from the outbox: it forgets a password link once the message is sent. Waits up to 15 s.
 */
export async function latestLinkTo(address: string): Promise<string> {
	const dir = process.env.E2E_MESSAGE_DIR!;
	for (let i = 0; i < 75; i++) {
		const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort().reverse() : [];
		for (const file of files) {
			const message = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { address: string; text: string };
			const link = message.address === address ? /https?:\/\/\S+\/reset\/[a-z2-7]{32}/.exec(message.text)?.[0] : undefined;
			if (link) return link;
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`no link was sent to ${address}`);
}

/** Today in Asia/Shanghai, moved by `days`, as YYYY-MM-DD. */
export function shanghaiDay(days = 0): string {
	return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A doctor of the demo studio with an account of their own that reads English (the demo doctor's
 * account is shared by other journeys and stays Chinese), working every day 08:00–12:00 in 30-minute
 * slots, with one visit yesterday at 09:00 to record. Logs in with the demo password.
 */
export async function createEnglishDoctor(d: { phone: string; familyName: string; givenName: string; patient: [string, string] }) {
	const client = new pg.Client({ connectionString: requireDatabase(MAKES_ENGLISH_DOCTOR) });
	await client.connect();
	const one = async <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
		(await client.query<T>(text, values)).rows[0]!;
	try {
		await client.query('BEGIN');
		const { password_hash } = await one<{ password_hash: string }>(`SELECT password_hash FROM account WHERE login_phone = '13800000001'`);
		const person = await one<{ id: number }>(`INSERT INTO person (family_name, given_name, phone) VALUES ($1, $2, $3) RETURNING id`, [
			d.familyName,
			d.givenName,
			d.phone
		]);
		const account = await one<{ id: number }>(
			`INSERT INTO account (person_id, login_phone, password_hash, locale, privacy_accepted_at) VALUES ($1, $2, $3, 'en', now()) RETURNING id`,
			[person.id, d.phone, password_hash]
		);
		await client.query(`INSERT INTO account_role (account_id, role) VALUES ($1, 'resident'), ($1, 'doctor')`, [account.id]);
		const studio = await one<{ id: number; community_id: number }>(`SELECT id, community_id FROM doctor_studio ORDER BY id LIMIT 1`);
		const doctor = await one<{ id: number }>(
			`INSERT INTO doctor (account_id, studio_id, title_zh, title_en, services, created_at)
			 VALUES ($1, $2, '全科医师', 'General practitioner', ARRAY['consultation', 'chronic_follow_up'], now()) RETURNING id`,
			[account.id, studio.id]
		);
		for (let weekday = 1; weekday <= 7; weekday++) {
			await client.query(
				`INSERT INTO doctor_availability (doctor_id, weekday, start_time, end_time, slot_minutes, valid_from, valid_to, created_at)
				 VALUES ($1, $2, '08:00', '12:00', 30, $3, $4, now())`,
				[doctor.id, weekday, shanghaiDay(-30), shanghaiDay(60)]
			);
		}
		const patient = await one<{ id: number }>(`INSERT INTO person (family_name, given_name) VALUES ($1, $2) RETURNING id`, d.patient);
		const start = `${shanghaiDay(-1)} 09:00+08`;
		const occurrence = await one<{ id: number }>(
			`INSERT INTO occurrence (programme, community_id, title_zh, title_en, starts_at, ends_at, capacity, created_at)
			 VALUES ('doctor', $1, '家庭医生', 'Family doctor', $2::timestamptz, $2::timestamptz + interval '30 minutes', 1, now()) RETURNING id`,
			[studio.community_id, start]
		);
		const reservation = await one<{ id: number }>(
			`INSERT INTO reservation (occurrence_id, person_id, status, during, created_at, updated_at)
			 VALUES ($1, $2, 'reserved', tstzrange($3::timestamptz, $3::timestamptz + interval '30 minutes', '[)'), now(), now()) RETURNING id`,
			[occurrence.id, patient.id, start]
		);
		await client.query(
			`INSERT INTO appointment (reservation_id, doctor_id, service, reason, during, active, created_at)
			 VALUES ($1, $2, 'consultation', 'Cough', tstzrange($3::timestamptz, $3::timestamptz + interval '30 minutes', '[)'), true, now())`,
			[reservation.id, doctor.id, start]
		);
		await client.query('COMMIT');
		return { doctorId: doctor.id };
	} catch (error) {
		await client.query('ROLLBACK');
		throw error;
	} finally {
		await client.end();
	}
}

/**
 * Moves a session and its places so that it ended a minute ago: a journey cannot wait for a class to
 * end, and staff cannot create one in the past.
 */
export async function endSessionNow(occurrenceId: number): Promise<void> {
	const client = new pg.Client({ connectionString: requireDatabase(ENDS_SESSION) });
	await client.connect();
	try {
		await client.query('BEGIN');
		await client.query(
			`UPDATE occurrence SET starts_at = now() - (ends_at - starts_at) - interval '1 minute', ends_at = now() - interval '1 minute'
			 WHERE id = $1`,
			[occurrenceId]
		);
		await client.query(
			`UPDATE reservation r SET during = tstzrange(o.starts_at, o.ends_at, '[)') FROM occurrence o WHERE o.id = r.occurrence_id AND o.id = $1`,
			[occurrenceId]
		);
		await client.query('COMMIT');
	} catch (error) {
		await client.query('ROLLBACK');
		throw error;
	} finally {
		await client.end();
	}
}
