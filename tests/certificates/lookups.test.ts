/**
 * The public look-up's codes and its limit: codes carry at least 128 random bits in a URL- and
 * QR-safe alphabet; with the limit raised, a thousand random codes all get the one neutral answer;
 * with the default limit (30 a minute per address) the thirty-first look-up is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { randomSecret } from '../../src/lib/server/tokens';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

const servers: ServerProcess[] = [];
afterAll(() => Promise.all(servers.map((s) => s.stop())));

describe('certificate look-ups', () => {
	it('use codes of at least 128 bits that survive a URL and a QR code unchanged', () => {
		const codes = new Set(Array.from({ length: 1000 }, randomSecret));
		expect(codes.size).toBe(1000);
		for (const code of codes) {
			expect(code).toMatch(/^[a-z2-7]{32}$/); // 32 base32 characters: 160 bits
			expect(encodeURIComponent(code)).toBe(code);
		}
		expect(32 * Math.log2(32)).toBeGreaterThanOrEqual(128);
	});

	it('answer a thousand random codes with the same neutral answer', async () => {
		const server = await startServer({ env: { VERIFICATIONS_PER_MINUTE: '5000', WORKER_INTERVAL_SECONDS: '0' } });
		servers.push(server);
		const visitor = new Client(server.url);
		const answers = new Map<string, number>();
		for (let i = 0; i < 1000; i += 20) {
			const batch = await Promise.all(
				Array.from({ length: 20 }, async () => {
					const response = await visitor.get(`/verify/${randomSecret()}`);
					const result = /<section[^>]*class="[^"]*result[^"]*"[\s\S]*?<\/section>/.exec(await response.text())?.[0] ?? '';
					return `${response.status} ${result.replace(/<!--.*?-->/g, '')}`;
				})
			);
			for (const a of batch) answers.set(a, (answers.get(a) ?? 0) + 1);
		}
		expect([...answers.values()]).toEqual([1000]);
		const [only] = answers.keys();
		expect(only).toMatch(/^200 /);
		expect(only).toContain('没有找到与这些信息相符的证书');
	});

	it('refuse the thirty-first look-up a minute from one address under the default limit', async () => {
		const server = await startServer({ env: { WORKER_INTERVAL_SECONDS: '0' } });
		servers.push(server);
		const visitor = new Client(server.url);
		const statuses: number[] = [];
		for (let i = 0; i < 31; i++) statuses.push((await visitor.get(`/verify/${randomSecret()}`)).status);
		expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
		expect(statuses[30]).toBe(429);
	});
});
