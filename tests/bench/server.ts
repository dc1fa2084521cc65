// Starts the built portal as a child process on a throw-away PostgreSQL database, and stops it again.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const START_TIMEOUT_MS = 120_000;

export interface Portal {
	baseUrl: string;
	/** Undefined for the embedded database (PGlite in a temporary data directory, owned by the server process). */
	databaseUrl: string | undefined;
	pid: number;
	/** The last few kilobytes the server wrote (warnings and errors; the log holds no personal data). */
	output(): string;
	stop(): Promise<void>;
}

async function adminQuery(url: string, sql: string): Promise<pg.QueryResult> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await client.query(sql);
	} finally {
		await client.end();
	}
}

export async function postgresVersion(databaseUrl: string): Promise<string> {
	const { rows } = await adminQuery(databaseUrl, 'SELECT version() AS v');
	return String(rows[0]?.v ?? 'unknown');
}

/** `BENCH_DATABASE_URL` if set (kept), else a fresh database dropped by `drop()`. */
export async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
	const given = process.env.BENCH_DATABASE_URL?.trim();
	if (given) {
		if (!LOOPBACK.has(new URL(given).hostname))
			throw new Error('BENCH_DATABASE_URL must point at 127.0.0.1: the bench touches no other host.');
		return { url: given, drop: async () => {} };
	}
	const name = `hd_bench_${process.pid}_${Date.now().toString(36)}`;
	await adminQuery(ADMIN_URL, `CREATE DATABASE ${name}`);
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return { url: url.href, drop: () => adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => {}) };
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer().once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
		});
	});
}

function exited(child: ChildProcess): Promise<void> {
	return child.exitCode !== null || child.signalCode !== null
		? Promise.resolve()
		: new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitHealthy(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + START_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`The server exited (${child.exitCode ?? child.signalCode}) before answering /healthz:\n${output()}`);
		}
		const status = await fetch(`${baseUrl}/healthz`).then(
			(r) => r.status,
			() => 0
		);
		if (status === 200) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`The server did not answer /healthz with 200 within ${START_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/**
 * The built portal on `databaseUrl`, or — when it is undefined — on the embedded database in a fresh
 * temporary data directory (removed by `stop()`), exactly as `npm start` runs it on a new machine.
 */
export async function startPortal(root: string, databaseUrl: string | undefined): Promise<Portal> {
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const dataDir = databaseUrl === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), 'hd-bench-data-')) : undefined;
	const { DATABASE_URL: _ignored, ...inherited } = process.env;
	const env = {
		...inherited,
		NODE_ENV: 'production',
		PORT: String(port),
		HOST: '127.0.0.1',
		...(databaseUrl === undefined ? { DATA_DIR: dataDir } : { DATABASE_URL: databaseUrl })
	};
	const child = spawn(process.execPath, [path.join(root, 'build', 'index.js')], {
		cwd: root,
		// Behind a pretend proxy: the client address comes from X-Forwarded-For, so that the
		// verification scenario's visitors each have their own (the bench's requests all say who).
		env: { ...env, DEMO: '1', LOG_LEVEL: 'warn', ORIGIN: baseUrl, ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000));
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	// Last resort if the bench itself dies: never leave a server behind.
	const killOnExit = () => child.kill('SIGTERM');
	process.once('exit', killOnExit);

	const stop = async () => {
		process.off('exit', killOnExit);
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited(child);
			clearTimeout(timer);
		}
		if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		await waitHealthy(baseUrl, child, () => log.trim() || '(no output)');
	} catch (error) {
		await stop();
		throw error;
	}
	if (child.pid === undefined) throw new Error('The server process has no pid.');
	return { baseUrl, databaseUrl, pid: child.pid, output: () => log, stop };
}

/**
 * Logs a demo account in through the real form and returns its session cookie. The bench server
 * trusts X-Forwarded-For (see startPortal), so the request says where it comes from.
 */
export async function loginCookie(portal: Portal, account: { login: string; password: string }): Promise<string> {
	const response = await fetch(`${portal.baseUrl}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: portal.baseUrl,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded',
			'x-forwarded-for': '127.0.0.1'
		},
		body: new URLSearchParams({ ...account, next: '/' }).toString()
	});
	const session = response.headers.getSetCookie().find((c) => c.startsWith('hd_session='));
	if (response.status !== 303 || !session) throw new Error(`bench: ${account.login} could not log in (${response.status})`);
	return session.split(';')[0]!;
}

/** The portal's PostgreSQL address, for scenarios that prepare data directly (not possible on the embedded database). */
export function postgresUrlOf(portal: Portal): string {
	if (portal.databaseUrl === undefined) throw new Error('bench: this scenario needs the portal on PostgreSQL');
	return portal.databaseUrl;
}
