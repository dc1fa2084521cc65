import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, onPostgres } from '../helpers/db';
import { describeConcurrent } from '../helpers/concurrency';
import { adminQuery } from '../helpers/pg-admin';
import { inject } from 'vitest';
import { migrations } from '../../src/lib/server/db/migrate';
import { startServer, startServers, stopAll, type ServerProcess } from '../helpers/servers';

describe('a running portal', () => {
	let server: ServerProcess;
	beforeAll(async () => {
		server = onPostgres() ? await startServer({ databaseUrl: (await createPostgresDatabase()).url }) : await startServer();
	});
	afterAll(() => server?.stop());

	it('answers /livez with a constant, uncached ok', async () => {
		const response = await fetch(`${server.url}/livez`);
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('ok\n');
		expect(response.headers.get('cache-control')).toBe('no-store');
	});

	it('reports the database in /healthz', async () => {
		const response = await fetch(`${server.url}/healthz`);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok', kind: onPostgres() ? 'postgres' : 'pglite' });
	});

	it('serves the home page in Chinese with the security headers', async () => {
		const response = await fetch(server.url);
		const html = await response.text();
		expect(html).toMatch(/<html lang="zh-CN"[ >]/);
		expect(html).toContain('健康东门');
		const csp = response.headers.get('content-security-policy') ?? '';
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
		expect(csp).toContain("frame-ancestors 'none'");
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
	});

	it('shows a friendly page in both languages for an unknown address', async () => {
		const response = await fetch(`${server.url}/no-such-page`);
		expect(response.status).toBe(404);
		const html = await response.text();
		expect(html).toContain('找不到这个页面');
		expect(html).toContain('Page not found');
	});

	it('refuses a request body over the size limit', async () => {
		const response = await fetch(`${server.url}/`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
			body: 'x='.padEnd(2 * 1024 * 1024, 'a')
		});
		expect(response.status).toBe(413);
	});

	it('logs requests by route, never by the raw path', async () => {
		await fetch(`${server.url}/no-such-page?phone=13800138000`);
		await new Promise((r) => setTimeout(r, 100));
		expect(server.output()).toContain('"route":"unmatched"');
		expect(server.output()).not.toContain('13800138000');
	});
});

describeConcurrent('app servers sharing one PostgreSQL database', () => {
	it('start together on an empty database: one migrates, both serve', async () => {
		const pgInfo = inject('postgres')!;
		const name = `hd_${pgInfo.runId}_empty_${process.pid}`;
		await adminQuery(pgInfo.url, `CREATE DATABASE ${name}`);
		const url = new URL(pgInfo.url);
		url.pathname = `/${name}`;
		const servers = await startServers(2, url.toString());
		try {
			const applied = servers.map((s) => Number(/"event":"migrated","applied":(\d+)/.exec(s.output())?.[1]));
			expect(applied.sort((a, b) => a - b)).toEqual([0, Object.keys(migrations).length]);
			for (const s of servers) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
		} finally {
			await stopAll(servers);
		}
	});

	it('answer 503 from /healthz and the pages while the database is unreachable', async () => {
		const { name, url } = await createPostgresDatabase();
		const server = await startServer({ databaseUrl: url });
		try {
			expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
			await adminQuery(inject('postgres')!.url, `DROP DATABASE ${name} WITH (FORCE)`);
			const response = await fetch(`${server.url}/healthz`);
			expect(response.status).toBe(503);
			expect(await response.json()).toMatchObject({ status: 'unavailable', database: 'unreachable' });
			expect((await fetch(`${server.url}/livez`)).status).toBe(200);
			// Pages too: 503 with a hint when to come back and the message in both languages, never a 500.
			const page = await fetch(`${server.url}/training`, { headers: { accept: 'text/html' } });
			expect(page.status).toBe(503);
			expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
			const html = await page.text();
			expect(html).toContain('系统暂时连不上数据库');
			expect(html).toContain('The portal cannot reach its database just now');
		} finally {
			await server.stop();
		}
	});
});
