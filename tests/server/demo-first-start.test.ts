/**
 * An interrupted first start on the embedded database leaves no half-made demo (issue 20, finding 8):
 * the demo fill is one transaction, so a first start killed in the middle of it is followed by a
 * normal start that fills the whole demo set. The fill is held midway by DEMO_FILL_PAUSE_MS (tests
 * only) so that the kill lands inside it every time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbedded, openInMemory } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import type { Database } from '../../src/lib/server/db/schema';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../../src/lib/server/demo/seed';
import { Client } from '../helpers/http';
import { startServer, waitForHealth, type ServerProcess } from '../helpers/servers';

const TABLES = [
	'community',
	'person',
	'account',
	'fitness_space',
	'occurrence',
	'reservation',
	'doctor',
	'training_course',
	'training_session',
	'training_assessment',
	'certificate'
] as const;

async function counts(db: Kysely<Database>): Promise<Record<string, number>> {
	const result: Record<string, number> = {};
	for (const table of TABLES) {
		const row = await db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		result[table] = Number(row.n);
	}
	return result;
}

/** What a complete demo fill holds, filled here in memory the same day. */
async function expectedCounts(): Promise<Record<string, number>> {
	const handle = await openInMemory();
	try {
		await migrateToLatest(handle.db);
		await seedDemoData(handle.db);
		return await counts(handle.db);
	} finally {
		await handle.close();
	}
}

const running: ServerProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
	await Promise.all(running.splice(0).map((s) => s.stop()));
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function waitForOutput(server: ServerProcess, text: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!server.output().includes(text)) {
		if (Date.now() > deadline) throw new Error(`The server never printed ${text}:\n${server.output()}`);
		if (server.child.exitCode !== null) throw new Error(`The server exited:\n${server.output()}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe('a first start in demo mode killed during the demo fill', () => {
	it('is followed by a normal start with the full demo set: every demo account logs in, nothing is missing', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-demo-fill-'));
		dirs.push(dataDir);
		const expected = await expectedCounts();
		expect(expected.certificate).toBeGreaterThan(0);

		const first = await startServer({ dataDir, env: { DEMO: '1', DEMO_FILL_PAUSE_MS: '120000' }, waitHealthy: false });
		running.push(first);
		await waitForOutput(first, '"event":"demo_fill_paused"', 90_000);
		await first.stop('SIGKILL');

		const second = await startServer({ dataDir, env: { DEMO: '1' }, waitHealthy: false });
		running.push(second);
		await waitForHealth(second, 90_000);
		for (const account of DEMO_ACCOUNTS) {
			const response = await new Client(second.url).login(account.phone, DEMO_PASSWORD);
			expect(response.status, `log-in of ${account.phone}`).toBe(303);
			expect(response.headers.get('location')).toBe('/');
		}
		expect(await second.stop('SIGTERM')).toBe(0);

		const handle = await openEmbedded(dataDir);
		try {
			expect(await counts(handle.db)).toEqual(expected);
		} finally {
			await handle.close();
		}
	}, 240_000);
});
