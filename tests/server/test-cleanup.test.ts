/**
 * Issue 19 item 6: stopping `npm test` (Ctrl-C, SIGTERM) leaves no process and no temporary folder.
 * A test server removes the directory it made when it stops; and `node scripts/test.js`, stopped
 * with SIGTERM while one of its Vitest workers holds a running server, ends every process of the
 * run (they carry its HD_TEST_RUN) and removes the server's directory and the run's TMPDIR.
 *
 * The child run runs this file only, in probe mode (HD_CLEANUP_PROBE): one test that starts a
 * server and waits to be stopped. Neither the suite nor this test runs recursively.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIsCurrent } from '../../scripts/build-if-needed.js';
import { startServer } from '../helpers/servers';
import { because } from '../setup/skip-reason';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const PROBE = process.env.HD_CLEANUP_PROBE;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Live processes whose environment holds HD_TEST_RUN=<run>. */
function processesOfRun(run: string): number[] {
	const marker = `\0HD_TEST_RUN=${run}\0`;
	const found: number[] = [];
	for (const pid of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
			if (`\0${fs.readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(marker)) found.push(Number(pid));
		} catch {
			// Ended meanwhile, or not ours to read.
		}
	}
	return found;
}

if (PROBE) {
	it('holds a test server until the run is stopped (probe for the test below)', async () => {
		const server = await startServer({ waitHealthy: false });
		fs.writeFileSync(PROBE, JSON.stringify({ pid: server.pid, dataDir: server.dataDir }));
		await server.exited;
	}, 120_000);
} else {
	describe('stopping the tests leaves nothing behind', () => {
		it('a test server removes the data directory it made when it stops', async () => {
			const server = await startServer({ waitHealthy: false });
			const dir = server.dataDir!;
			expect(path.basename(dir)).toMatch(/^hd-server-/);
			expect(fs.existsSync(dir)).toBe(true);
			await server.stop();
			expect(fs.existsSync(dir)).toBe(false);
		});

		it.skipIf(!buildIsCurrent() || !fs.existsSync('/proc'))(
			'SIGTERM to npm test ends its runners, workers and servers, and removes their temporary folders',
			{ ...because('needs a current build (the child run must not build) and /proc'), timeout: 90_000 },
			async () => {
				const run = `cleanup${randomBytes(4).toString('hex')}`;
				const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-cleanup-'));
				const probe = path.join(scratch, 'probe.json');
				const env: NodeJS.ProcessEnv = {
					...process.env,
					HD_TEST_RUN: run,
					HD_CLEANUP_PROBE: probe,
					TEST_RESULTS_DIR: path.join(scratch, 'results')
				};
				delete env.TEST_DATABASE_URL;
				const child = spawn(process.execPath, ['scripts/test.js', '--unit-only', 'tests/server/test-cleanup.test.ts'], {
					cwd: ROOT,
					env,
					stdio: ['ignore', 'pipe', 'pipe']
				});
				let output = '';
				child.stdout.on('data', (c: Buffer) => (output += c.toString()));
				child.stderr.on('data', (c: Buffer) => (output += c.toString()));
				const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
				try {
					const deadline = Date.now() + 60_000;
					while (!fs.existsSync(probe) && Date.now() < deadline && child.exitCode === null) await sleep(200);
					expect(fs.existsSync(probe), `the probe's server never started:\n${output}`).toBe(true);
					const { pid, dataDir } = JSON.parse(fs.readFileSync(probe, 'utf8')) as { pid: number; dataDir: string };
					expect(fs.existsSync(dataDir)).toBe(true);
					expect(processesOfRun(run)).toContain(pid);
					// The run's own TMPDIR holds the server's directory.
					const runTmp = path.dirname(dataDir);
					expect(path.basename(runTmp)).toMatch(/^hd-test-/);

					child.kill('SIGTERM');
					const code = await Promise.race([exited, sleep(40_000).then(() => 'timeout' as const)]);
					expect(code, output).toBe(128 + os.constants.signals.SIGTERM);
					expect(processesOfRun(run), `processes left by the stopped run:\n${output}`).toEqual([]);
					expect(fs.existsSync(dataDir), 'the server’s data directory').toBe(false);
					expect(fs.existsSync(runTmp), 'the run’s temporary directory').toBe(false);
				} finally {
					if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
					for (const pid of processesOfRun(run)) process.kill(pid, 'SIGKILL');
					fs.rmSync(scratch, { recursive: true, force: true });
				}
			}
		);
	});
}
