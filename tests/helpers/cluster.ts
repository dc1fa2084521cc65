/**
 * A PostgreSQL cluster of a test's own, for fault tests that stop and start the database: never the
 * shared server on 5432. `initdb` in a temporary directory owned by the `postgres` OS user, on a
 * free port, listening on 127.0.0.1 and a socket in that directory only. PostgreSQL refuses to run
 * as root, so as root every command runs through `runuser -u postgres --` (or `su postgres -c`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './servers';

const PG_ROOT = '/usr/lib/postgresql';

/** The newest `/usr/lib/postgresql/<ver>/bin` holding initdb and pg_ctl, or null. */
export function postgresBin(): string | null {
	if (!fs.existsSync(PG_ROOT)) return null;
	const versions = fs
		.readdirSync(PG_ROOT)
		.filter((v) => /^\d+$/.test(v))
		.sort((a, b) => Number(b) - Number(a));
	for (const v of versions) {
		const bin = path.join(PG_ROOT, v, 'bin');
		if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
	}
	return null;
}

const isRoot = () => process.getuid?.() === 0;

/** How to run a command as the postgres user (null: cannot, as root without runuser, su or that user). */
function asPostgres(): ((file: string, args: string[]) => [string, string[]]) | null {
	if (!isRoot()) return (file, args) => [file, args];
	if (spawnSync('id', ['-u', 'postgres']).status !== 0) return null;
	if (fs.existsSync('/usr/sbin/runuser') || fs.existsSync('/sbin/runuser'))
		return (file, args) => ['runuser', ['-u', 'postgres', '--', file, ...args]];
	if (fs.existsSync('/bin/su') || fs.existsSync('/usr/bin/su')) {
		const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
		return (file, args) => ['su', ['postgres', '-s', '/bin/sh', '-c', [file, ...args].map(quote).join(' ')]];
	}
	return null;
}

/** Why no cluster can be started here, or null when one can. */
export function clusterUnavailableReason(): string | null {
	if (!postgresBin()) return `no PostgreSQL binaries under ${PG_ROOT}/<version>/bin (apt-get install postgresql)`;
	if (!asPostgres()) return 'running as root, but there is no `postgres` user or no runuser/su to become it';
	return null;
}

export type Cluster = {
	port: number;
	/** The `postgres` database of the cluster, as superuser `postgres` (trust on 127.0.0.1). */
	url: string;
	dir: string;
	/** `fast` aborts open transactions and disconnects; `immediate` is a crash (recovery on the next start). */
	stop(mode?: 'fast' | 'immediate'): void;
	start(): void;
	/** Stops it if running and removes every file: call in afterAll, also after a failure. */
	destroy(): void;
	/** The server log so far, for failure messages. */
	log(): string;
};

export async function startCluster(): Promise<Cluster> {
	const bin = postgresBin();
	const wrap = asPostgres();
	if (!bin || !wrap) throw new Error(`Cannot start a PostgreSQL cluster: ${clusterUnavailableReason()}`);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-pgcluster-'));
	const data = path.join(dir, 'data');
	const logFile = path.join(dir, 'server.log');
	if (isRoot()) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
		fs.chownSync(dir, uid, gid);
	}
	const port = await freePort();
	const run = (file: string, args: string[], timeoutMs = 60_000) => {
		const [command, commandArgs] = wrap(path.join(bin, file), args);
		// cwd: a directory the postgres user may enter (not the root-owned checkout).
		const result = spawnSync(command, commandArgs, {
			cwd: dir,
			encoding: 'utf8',
			timeout: timeoutMs,
			env: { ...process.env, LC_ALL: 'C' }
		});
		if (result.status !== 0) {
			const logText = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : '';
			throw new Error(
				`${file} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}\n${logText}`
			);
		}
	};
	let running = false;
	const cluster: Cluster = {
		port,
		dir,
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		start() {
			// fsync off: these tests kill processes, not the machine; the page cache survives a crash.
			const options = [
				`-p ${port}`,
				`-c listen_addresses=127.0.0.1`,
				`-c unix_socket_directories=${dir}`,
				'-c fsync=off',
				'-c max_connections=60',
				'-c shared_buffers=32MB'
			].join(' ');
			run('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', options, 'start'], 90_000);
			running = true;
		},
		stop(mode = 'fast') {
			run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], 90_000);
			running = false;
		},
		destroy() {
			try {
				if (running || fs.existsSync(path.join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			} catch {
				// Already stopped; the files go anyway.
			}
			running = false;
			fs.rmSync(dir, { recursive: true, force: true });
		},
		log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '')
	};
	try {
		run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], 120_000);
		cluster.start();
	} catch (error) {
		cluster.destroy();
		throw error;
	}
	return cluster;
}
