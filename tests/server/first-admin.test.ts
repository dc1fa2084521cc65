/**
 * The way into a new deployment (issue 19): `npm run first-admin` on an empty database, the printed
 * link followed, a password set, the administrator logs in and creates a community, and a resident
 * registers in it. On PostgreSQL the database is a truly empty one (not the migrated template); on
 * the embedded database a fresh DATA_DIR.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { Client } from '../helpers/http';
import { adminQuery, databaseUrl } from '../helpers/pg-admin';
import { startServer, type ServerProcess } from '../helpers/servers';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const pgInfo = inject('postgres');
let server: ServerProcess | undefined;
let dataDir: string | undefined;
afterAll(async () => {
	await server?.stop();
	if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

function firstAdmin(env: Record<string, string>, ...args: string[]) {
	const run = spawnSync(
		process.execPath,
		[path.join(ROOT, 'scripts', 'run-server-module.js'), 'src/lib/server/admin/cli-first-admin.ts', ...args],
		{
			cwd: ROOT,
			env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ORIGIN: 'https://health.dongmen.example', ...env },
			encoding: 'utf8',
			timeout: 120_000
		}
	);
	return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('npm run first-admin', () => {
	it('lets the first administrator in on an empty database, who creates a community a resident then registers in', async () => {
		let target: Record<string, string>;
		if (pgInfo) {
			const name = `hd_${pgInfo.runId}_${randomBytes(4).toString('hex')}`;
			await adminQuery(pgInfo.url, `CREATE DATABASE ${name}`);
			target = { DATABASE_URL: databaseUrl(pgInfo.url, name) };
		} else {
			dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-first-admin-'));
			target = { DATA_DIR: dataDir };
		}

		expect(firstAdmin(target, '13912345678').status).toBe(2); // names missing: the usage line
		const made = firstAdmin(target, '13912345678', '欧阳', '伟');
		expect(made.status, made.out).toBe(0);
		const link = /https:\/\/health\.dongmen\.example(\/reset\/[a-z2-7]{32})/.exec(made.out);
		expect(link, made.out).not.toBeNull();

		// A second run refuses while an administrator exists, and creates nothing.
		const again = firstAdmin(target, '13912345679', '王', '五');
		expect(again.status).toBe(1);
		expect(again.out).toContain('An administrator exists already');

		server = await startServer(pgInfo ? { databaseUrl: target.DATABASE_URL } : { dataDir });
		const admin = new Client(server.url);
		expect((await admin.get(link![1]!)).status).toBe(200);
		const set = await admin.post(link![1]!, { newPassword: 'a long first admin passphrase' });
		expect([200, 303]).toContain(set.status);
		expect((await admin.login('13912345678', 'a long first admin passphrase')).status).toBe(303);

		const created = await admin.post('/admin/communities?/create', { code: 'dongmen', nameZh: '东门社区', nameEn: 'Dongmen Community' });
		expect(created.status).toBe(303);
		const communityId = /\/admin\/communities\/(\d+)/.exec(created.headers.get('location') ?? '')?.[1];
		expect(communityId).toBeDefined();

		const resident = new Client(server.url);
		const registered = await resident.post('/register', {
			familyName: '王',
			givenName: '秀英',
			phone: '13800138000',
			communityId: communityId!,
			password: 'a resident passphrase 2026',
			acceptPrivacy: 'on'
		});
		expect(registered.status).toBe(303);
		const home = await resident.get('/');
		expect(await home.text()).toContain('王秀英');
	});
});
