/**
 * Real server processes from the production build, for tests that need HTTP, several app servers
 * on one database (race tests) or process life-cycle behaviour (locks, crashes, shutdown).
 * The vitest global setup builds the portal first when the build is stale.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ENTRY = path.join(ROOT, 'build', 'index.js');

/**
 * Where the embedded database of a server without `dataDir` or `databaseUrl` goes:
 * `hd-server-XXXXXX` in the temporary directory, removed when that server stops (or this process
 * ends). `npm test` gives its processes a temporary directory of their own and removes it at the end.
 */
export function serverDirPrefix(): string {
	return path.join(os.tmpdir(), 'hd-server-');
}

/** Servers of this process still running, and the directories they own. */
const live = new Map<ChildProcess, string | undefined>();
let exitHooked = false;

/** Ends every server of this process and removes the directories it made, synchronously. */
function cleanUpNow(): void {
	for (const [child, dir] of live) {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
	}
	live.clear();
}

/**
 * The first server this process starts hooks its exit and the stopping signals: a test run stopped
 * with Ctrl-C or SIGTERM (or a worker ended by Vitest) leaves no server and no directory behind.
 * The signal is raised again afterwards, so the process still ends the way it would have.
 */
function hookExit(): void {
	if (exitHooked) return;
	exitHooked = true;
	process.once('exit', cleanUpNow);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		const onSignal = async () => {
			// The servers get the signal too (same process group) or now: give them a moment to shut down.
			const children = [...live.keys()];
			for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await Promise.race([
				Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null))),
				new Promise((r) => setTimeout(r, 5_000))
			]);
			cleanUpNow();
			if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
		};
		process.once(signal, () => void onSignal());
	}
}

export type ServerProcess = {
	url: string;
	pid: number;
	child: ChildProcess;
	/** The embedded database's directory (none on PostgreSQL); one made here is removed when the server stops. */
	dataDir?: string;
	/** Everything the process printed so far (stdout and stderr). */
	output(): string;
	/** Resolves with the exit code (or null after a signal) once the process has ended. */
	exited: Promise<number | null>;
	stop(signal?: NodeJS.Signals): Promise<number | null>;
};

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export type ServerOptions = {
	/** PostgreSQL database URL; without it the server uses the embedded database in `dataDir`. */
	databaseUrl?: string;
	dataDir?: string;
	env?: Record<string, string>;
	/** Wait until /healthz answers 200 (default), or only until the process is spawned. */
	waitHealthy?: boolean;
	timeoutMs?: number;
};

export async function startServer(options: ServerOptions = {}): Promise<ServerProcess> {
	if (!fs.existsSync(ENTRY)) throw new Error('No production build: run `npm run build` (npm test builds it when needed).');
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	// A directory made here belongs to this server: it goes when the server stops.
	const ownDir = options.databaseUrl || options.dataDir ? undefined : fs.mkdtempSync(serverDirPrefix());
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		ORIGIN: url,
		LOG_LEVEL: 'info',
		DEMO: '0',
		...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : { DATA_DIR: options.dataDir ?? ownDir! }),
		// npm test's run name and temporary directory (see scripts/test.js), for its clean-up after a stop.
		...(process.env.HD_TEST_RUN ? { HD_TEST_RUN: process.env.HD_TEST_RUN } : {}),
		...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
		...options.env
	};
	hookExit();
	const child = spawn(process.execPath, [ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
	live.set(child, ownDir);
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => {
			live.delete(child);
			if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
			resolve(code);
		})
	);
	const server: ServerProcess = {
		url,
		pid: child.pid!,
		child,
		dataDir: options.databaseUrl ? undefined : (options.dataDir ?? ownDir),
		output: () => output,
		exited,
		stop: async (signal = 'SIGTERM') => {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			return exited;
		}
	};
	if (options.waitHealthy === false) return server;
	await waitForHealth(server, options.timeoutMs ?? 60_000);
	return server;
}

export async function waitForHealth(server: ServerProcess, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let ended = false;
	void server.exited.then(() => (ended = true));
	while (Date.now() < deadline) {
		if (ended) throw new Error(`The server exited before it was healthy:\n${server.output()}`);
		try {
			const response = await fetch(`${server.url}/healthz`);
			if (response.ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	await server.stop('SIGKILL');
	throw new Error(`The server was not healthy within ${timeoutMs} ms:\n${server.output()}`);
}

/** Several app servers on one PostgreSQL database, as behind a load balancer. */
export async function startServers(count: number, databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess[]> {
	return Promise.all(Array.from({ length: count }, () => startServer({ databaseUrl, env })));
}

export async function stopAll(servers: ServerProcess[]): Promise<void> {
	await Promise.all(servers.map((s) => s.stop()));
}
