// What the bench ran on: load generator, server and database share this machine.
import fs from 'node:fs';
import os from 'node:os';

export interface Machine {
	cpu: string;
	cores: number;
	memoryGiB: number;
	node: string;
	postgres: string;
}

export function describeMachine(postgresVersion: string): Machine {
	const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
	const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
	return {
		cpu: model ?? os.cpus()[0]?.model ?? 'unknown CPU',
		cores: os.availableParallelism(),
		memoryGiB: os.totalmem() / 1024 ** 3,
		node: process.version,
		// "PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu, compiled by …" → up to " on ".
		postgres: postgresVersion.split(' on ')[0] ?? postgresVersion
	};
}

export function machineLine(m: Machine): string {
	return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB RAM, Node ${m.node}, ${m.postgres}`;
}

/** A field of /proc/<pid>/status in MiB (VmRSS, VmHWM…), or undefined once the process is gone. */
export function procMemoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1];
		return kb === undefined ? undefined : Number(kb) / 1024;
	} catch {
		return undefined;
	}
}
