/**
 * The embedded database's data directory, exercised with real server processes: one live process
 * at a time, stale locks taken over, interrupted first starts recovered, clean shutdowns.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, stopAll, type ServerProcess } from '../helpers/servers';

const running: ServerProcess[] = [];
const dirs: string[] = [];

function tempDataDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-datadir-'));
	dirs.push(dir);
	return dir;
}

async function start(dataDir: string, waitHealthy = true): Promise<ServerProcess> {
	const server = await startServer({ dataDir, waitHealthy });
	running.push(server);
	return server;
}

async function homeAnswers(server: ServerProcess): Promise<boolean> {
	const response = await fetch(server.url);
	return response.ok && (await response.text()).includes('健康东门');
}

afterEach(async () => {
	await stopAll(running.splice(0));
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the embedded data directory', () => {
	it('refuses a second process while the first one runs, with a clear message', async () => {
		const dataDir = tempDataDir();
		const first = await start(dataDir);
		const second = await start(dataDir, false);
		expect(await second.exited).toBe(1);
		expect(second.output()).toMatch(new RegExp(`in use by another running portal process \\(pid ${first.pid}\\)`));
		expect(await homeAnswers(first)).toBe(true);
	});

	it('takes over a lock left by a process that was killed', async () => {
		const dataDir = tempDataDir();
		const first = await start(dataDir);
		await first.stop('SIGKILL');
		expect(fs.existsSync(path.join(dataDir, 'portal.lock'))).toBe(true);
		const second = await start(dataDir);
		expect(await homeAnswers(second)).toBe(true);
	});

	it('recovers from a first start killed midway', async () => {
		const dataDir = tempDataDir();
		const first = await start(dataDir, false);
		// Kill it while the new cluster is being made (before it could answer).
		const deadline = Date.now() + 20_000;
		while (!fs.readdirSync(dataDir).some((e) => e.startsWith('pgdata')) && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 20));
		}
		await first.stop('SIGKILL');
		const second = await start(dataDir);
		expect(await homeAnswers(second)).toBe(true);
		expect(fs.readdirSync(dataDir).filter((e) => e.startsWith('pgdata.partial-'))).toEqual([]);
	});

	it('shuts down cleanly: the lock is gone and the directory opens again with its data', async () => {
		const dataDir = tempDataDir();
		const first = await start(dataDir);
		expect(await first.stop('SIGTERM')).toBe(0);
		expect(first.output()).toContain('"event":"stopped"');
		expect(fs.existsSync(path.join(dataDir, 'portal.lock'))).toBe(false);
		const second = await start(dataDir);
		// Migrations were applied before: the second start applies none.
		expect(second.output()).toContain('"event":"migrated","applied":0');
		expect(await homeAnswers(second)).toBe(true);
	});
});
