import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, readConfig } from '../../src/lib/server/config';
import { log, scrub } from '../../src/lib/server/log';

describe('configuration from the environment', () => {
	it('runs embedded with demo data when no DATABASE_URL is set', () => {
		const cfg = readConfig({});
		expect(cfg.databaseUrl).toBeUndefined();
		expect(cfg.demo).toBe(true);
		expect(cfg.dataDir).toBe('./data');
		expect(cfg.dbPoolSize).toBe(10);
		expect(cfg.migrateOnStart).toBe(true);
	});

	it('turns demo mode off on a real server unless DEMO says otherwise', () => {
		expect(readConfig({ DATABASE_URL: 'postgres://x/y' }).demo).toBe(false);
		expect(readConfig({ DATABASE_URL: 'postgres://x/y', DEMO: '1' }).demo).toBe(true);
		expect(readConfig({ DEMO: '0' }).demo).toBe(false);
		expect(readConfig({ DEMO: 'false', MIGRATE: 'false' })).toMatchObject({ demo: false, migrateOnStart: false });
	});

	it('names the variable when a value makes no sense', () => {
		expect(() => readConfig({ DEMO: 'maybe' })).toThrow(/DEMO/);
		expect(() => readConfig({ DB_POOL_SIZE: '0' })).toThrow(ConfigError);
		expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
	});
});

describe('structured logs', () => {
	afterEach(() => vi.restoreAllMocks());

	it('never carry a phone number or an e-mail address, even when a caller slips one in', () => {
		expect(scrub('call 13800138000 or +86 139-1234-5678, mail wang@example.cn')).toBe('call [phone] or [phone], mail [email]');
		const lines: string[] = [];
		vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
			lines.push(String(chunk));
			return true;
		});
		log.warn('login_failed', { login: '13912345678', attempts: 6 });
		const entry = JSON.parse(lines[0]!);
		expect(entry).toMatchObject({ level: 'warn', event: 'login_failed', login: '[phone]', attempts: 6 });
		expect(lines[0]).not.toContain('13912345678');
	});

	it('leaves ids, counts and route names readable', () => {
		expect(scrub('/verify/[code] took 12 ms, id 1234567')).toBe('/verify/[code] took 12 ms, id 1234567');
	});
});

describe('the body size limit', () => {
	it("reads adapter-node's BODY_SIZE_LIMIT format", () => {
		expect(readConfig({}).bodySizeLimit).toBe(512 * 1024);
		expect(readConfig({ BODY_SIZE_LIMIT: '2M' }).bodySizeLimit).toBe(2 * 1024 * 1024);
		expect(readConfig({ BODY_SIZE_LIMIT: '1000' }).bodySizeLimit).toBe(1000);
		expect(() => readConfig({ BODY_SIZE_LIMIT: 'lots' })).toThrow(/BODY_SIZE_LIMIT/);
	});
});
