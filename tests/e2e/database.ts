/**
 * Direct access to the journeys' database, for what a person would receive outside the browser
 * (the SMS with a reset link). Only when the server runs on PostgreSQL (npm test with
 * TEST_DATABASE_URL); on the embedded database the server holds the data directory alone.
 */
import { test } from '@playwright/test';
import pg from 'pg';

export function requireDatabase(): string {
	const url = process.env.E2E_DATABASE_URL;
	if (!url) {
		if (process.env.CI || process.env.REQUIRE_E2E)
			throw new Error('This journey reads the outbox and needs E2E_DATABASE_URL (run npm test with TEST_DATABASE_URL).');
		console.warn('[e2e] LEFT OUT: this journey reads the outbox and needs PostgreSQL (set TEST_DATABASE_URL).');
		test.skip(true, 'needs PostgreSQL: set TEST_DATABASE_URL');
	}
	return url!;
}

/** The newest link the outbox holds for a phone number or e-mail address, waiting up to 10 s. */
export async function latestLinkTo(address: string): Promise<string> {
	const client = new pg.Client({ connectionString: requireDatabase() });
	await client.connect();
	try {
		for (let i = 0; i < 50; i++) {
			const { rows } = await client.query<{ link: string | null }>(
				`SELECT payload->>'link' AS link FROM outbox WHERE address = $1 AND payload->>'link' IS NOT NULL ORDER BY id DESC LIMIT 1`,
				[address]
			);
			if (rows[0]?.link) return rows[0].link;
			await new Promise((r) => setTimeout(r, 200));
		}
		throw new Error(`no link was sent to ${address}`);
	} finally {
		await client.end();
	}
}
