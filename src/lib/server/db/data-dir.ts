/**
 * The embedded database's data directory: one live process at a time, created atomically.
 *
 * PGlite takes no lock of its own, and two processes writing one directory corrupt it. The portal
 * therefore holds `portal.lock` (pid, host and the process's start time) while it runs. A lock whose
 * process is gone, or whose pid now belongs to another process, is stale and is taken over.
 * The cluster itself lives in `pgdata/`; a first start builds it in `pgdata.partial-<pid>/` and
 * renames it into place, so an interrupted first start leaves nothing half-made behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {
	constructor(
		readonly dataDir: string,
		readonly holderPid: number
	) {
		super(
			`The data directory ${dataDir} is in use by another running portal process (pid ${holderPid}). ` +
				`Stop that process first, or give this one its own DATA_DIR.`
		);
		this.name = 'DataDirLockedError';
	}
}

type LockRecord = { pid: number; host: string; processStart: string | null };

const LOCK_FILE = 'portal.lock';
export const CLUSTER_DIR = 'pgdata';
const PARTIAL_PREFIX = 'pgdata.partial-';

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), to tell a reused pid apart. */
function processStartTime(pid: number): string | null {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) is in parentheses and may contain spaces: count after it.
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return rest[19] ?? null;
	} catch {
		return null;
	}
}

function isAlive(record: LockRecord): boolean {
	if (record.host !== os.hostname()) return true; // Another machine's process: never assume it is gone.
	try {
		process.kill(record.pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
	const start = processStartTime(record.pid);
	return record.processStart === null || start === null || start === record.processStart;
}

function readLock(file: string): LockRecord | null {
	try {
		const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockRecord>;
		if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
		return { pid: parsed.pid, host: parsed.host, processStart: parsed.processStart ?? null };
	} catch {
		return null; // Missing, or cut short by a crash while being written: stale either way.
	}
}

export type DataDirLock = { release(): void };

export function lockDataDir(dataDir: string): DataDirLock {
	fs.mkdirSync(dataDir, { recursive: true });
	const file = path.join(dataDir, LOCK_FILE);
	const mine: LockRecord = { pid: process.pid, host: os.hostname(), processStart: processStartTime(process.pid) };
	const body = JSON.stringify(mine);

	for (let attempt = 0; attempt < 5; attempt++) {
		try {
			const fd = fs.openSync(file, 'wx', 0o600);
			fs.writeSync(fd, body);
			fs.fsyncSync(fd);
			fs.closeSync(fd);
			let released = false;
			const release = () => {
				if (released) return;
				released = true;
				process.off('exit', release);
				const current = readLock(file);
				if (current?.pid === mine.pid && current.host === mine.host) fs.rmSync(file, { force: true });
			};
			process.on('exit', release);
			return { release };
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const holder = readLock(file);
		if (holder && holder.pid === process.pid && holder.host === mine.host) {
			throw new DataDirLockedError(dataDir, holder.pid);
		}
		if (holder && isAlive(holder)) throw new DataDirLockedError(dataDir, holder.pid);
		// Stale: its process is gone. Remove it only if it is still the same stale record.
		const again = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
		if (again === null || readLock(file)?.pid === holder?.pid) fs.rmSync(file, { force: true });
	}
	throw new Error(`Could not take the lock on ${dataDir}`);
}

/** Leftovers of first starts that were interrupted before their cluster was complete. */
export function removePartialClusters(dataDir: string): void {
	for (const entry of fs.readdirSync(dataDir)) {
		if (entry.startsWith(PARTIAL_PREFIX)) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
	}
}

export function clusterPath(dataDir: string): string {
	return path.join(dataDir, CLUSTER_DIR);
}

export function partialClusterPath(dataDir: string): string {
	return path.join(dataDir, `${PARTIAL_PREFIX}${process.pid}`);
}
