/**
 * The district-sized generator at a tiny scale (the large one is opt-in: `npm run seed -- --scale
 * large`): it adds what it says, the triggers are back on afterwards, and the recounted aggregates
 * agree with the records.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seedScale, SCALES } from '../../src/lib/server/demo/scale';
import { dashboard } from '../../src/lib/server/participation/dashboard';
import { readFilters, addMonths, monthOf } from '../../src/lib/server/participation/filters';
import { today } from '../../src/lib/server/clock';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
	await seedScale(t.db, SCALES.tiny!);
});
afterAll(() => t?.close());

const count = async (table: string) =>
	Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.db)).rows[0]!.n);

it('generates people in seven communities, reservations and certificates', async () => {
	expect(await count('community')).toBe(7);
	expect(await count('person')).toBe(70);
	expect(await count('certificate')).toBe(35);
	const reservations = await count('reservation');
	expect(reservations).toBeGreaterThan(600);
	expect(reservations).toBeLessThan(800);
	// One in twenty people moved community half-way: two memberships.
	expect(await count('community_membership')).toBe(70 + 4);
});

it('leaves the triggers on and the aggregates equal to the records', async () => {
	const enabled = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'`.execute(t.db);
	expect(Number(enabled.rows[0]!.n)).toBe(0);
	const district = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };
	const to = addMonths(monthOf(today()), 1);
	const r = await readFilters(t.db, district, new URLSearchParams({ from: addMonths(to, -35), to, community: 'all' }));
	if (!r.ok) throw new Error(r.reason);
	const rows = await dashboard(t.db, r.filters);
	const attended = await sql<{ n: string }>`SELECT count(*) AS n FROM reservation r JOIN occurrence o ON o.id = r.occurrence_id
		WHERE r.status = 'attended' AND o.starts_at >= ${`${r.filters.from}-01`}::date`.execute(t.db);
	expect(rows.reduce((s, x) => s + x.attended, 0)).toBe(Number(attended.rows[0]!.n));
	expect(rows.reduce((s, x) => s + x.places, 0)).toBeGreaterThan(0);
});
