/**
 * The portal started the way the README tells a newcomer: `npm start` (scripts/start.js) in a
 * folder of its own, with nothing set — no ORIGIN, no DATABASE_URL, no DEMO, no HOST, no NODE_ENV —
 * so the embedded database lands in that folder's ./data and demo mode is on. Only PORT is set (a
 * free one: 3000 may be taken on a developer's machine). Every other test server sets ORIGIN, which
 * is how the refused log-in of a newcomer's first start stayed hidden.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './servers';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export type Newcomer = { port: number; output(): string; exited: Promise<number | null>; stop(): Promise<void> };

/** Starts `node scripts/start.js` with a bare environment plus `env`; waits for "Serving on" unless told not to. */
export async function startAsNewcomer(
	env: Record<string, string> = {},
	options: { wait?: boolean; timeoutMs?: number } = {}
): Promise<Newcomer> {
	const port = await freePort();
	const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-newcomer-'));
	const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
		cwd,
		env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, PORT: String(port), ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
	child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const newcomer: Newcomer = {
		port,
		output: () => output,
		exited,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
			fs.rmSync(cwd, { recursive: true, force: true });
		}
	};
	if (options.wait === false) return newcomer;
	const deadline = Date.now() + (options.timeoutMs ?? 120_000);
	let ended = false;
	void exited.then(() => (ended = true));
	while (!output.includes('Serving on')) {
		if (ended) throw new Error(`npm start ended before serving:\n${output}`);
		if (Date.now() > deadline) {
			await newcomer.stop();
			throw new Error(`npm start did not serve in time:\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return newcomer;
}
