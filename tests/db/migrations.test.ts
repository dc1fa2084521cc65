import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, migrations, migrator } from '../../src/lib/server/db/migrate';
import { generateSchemaSource } from '../../src/lib/server/db/typegen';
import { SCHEMA_FILE } from '../../src/lib/server/db/cli-types';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());

describe('migrations', () => {
	it('are named YYYYMMDDHHMM_what and each has a down', () => {
		const names = Object.keys(migrations);
		expect(names.length).toBeGreaterThan(0);
		for (const name of names) {
			expect(name).toMatch(/^\d{12}_[a-z0-9_]+$/);
			expect(typeof migrations[name]!.down).toBe('function');
		}
	});

	it('leave a schema that the committed Database type describes exactly (npm run db:types)', async () => {
		const generated = await generateSchemaSource(t.db);
		expect(generated).toBe(fs.readFileSync(SCHEMA_FILE, 'utf8'));
	});

	it('go all the way down and up again', async () => {
		const m = migrator(t.db);
		const count = Object.keys(migrations).length;
		for (let i = 0; i < count; i++) check(await m.migrateDown());
		const { rows } = await sql<{ n: number }>`
			SELECT count(*)::int AS n FROM information_schema.tables
			WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%'`.execute(t.db);
		expect(rows[0]!.n).toBe(0);
		const up = check(await m.migrateToLatest());
		expect(up.results).toHaveLength(count);
		expect(await generateSchemaSource(t.db)).toBe(fs.readFileSync(SCHEMA_FILE, 'utf8'));
	});
});

describe('the database types', () => {
	it('come back the same on PostgreSQL and PGlite: int8 as number, date as text, timestamptz as Date', async () => {
		const { rows } = await sql<{ big: number; day: string; at: Date; amount: string }>`
			SELECT 9007199254740::int8 AS big, DATE '2026-02-28' AS day,
			       TIMESTAMPTZ '2026-02-28 23:30:00+08' AS at, 12.50::numeric AS amount`.execute(t.db);
		expect(rows[0]).toEqual({ big: 9007199254740, day: '2026-02-28', at: new Date('2026-02-28T15:30:00Z'), amount: '12.50' });
	});

	it('work in Asia/Shanghai time, so a date cast of an instant is the Shanghai date', async () => {
		const { rows } = await sql<{ day: string }>`SELECT (TIMESTAMPTZ '2026-03-31 23:30:00+00')::date AS day`.execute(t.db);
		expect(rows[0]!.day).toBe('2026-04-01');
	});

	it('have btree_gist, for exclusion constraints over time ranges', async () => {
		const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'btree_gist'`.execute(t.db);
		expect(rows[0]!.n).toBe(1);
	});
});

describe('communities and the audit log', () => {
	it('refuse a negative population and a second figure for the same day', async () => {
		const c = await t.db
			.insertInto('community')
			.values({ code: 'test-a', name_zh: '测试社区', name_en: 'Test' })
			.returning('id')
			.executeTakeFirstOrThrow();
		await expect(
			t.db.insertInto('community_population').values({ community_id: c.id, population: -1, effective_from: '2026-01-01' }).execute()
		).rejects.toThrow(/check/i);
		await t.db.insertInto('community_population').values({ community_id: c.id, population: 100, effective_from: '2026-01-01' }).execute();
		await expect(
			t.db.insertInto('community_population').values({ community_id: c.id, population: 120, effective_from: '2026-01-01' }).execute()
		).rejects.toThrow(/unique|duplicate/i);
	});

	it('keeps audit details as JSON', async () => {
		const row = await t.db
			.insertInto('audit_log')
			.values({ action: 'community.create', subject_type: 'community', subject_id: '1', details: JSON.stringify({ code: 'x' }) })
			.returning(['details', 'at'])
			.executeTakeFirstOrThrow();
		expect(row.details).toEqual({ code: 'x' });
		expect(row.at).toBeInstanceOf(Date);
	});
});
