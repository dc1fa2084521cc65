/**
 * The aggregates the triggers keep one change at a time equal a recount from scratch, after the
 * changes the portal makes: status changes, a moved and a deleted occurrence, a community move,
 * a revoked certificate, a course that stops counting.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { coverageTrend, expiringCertificates } from '../../src/lib/server/participation/coverage';
import { dashboard } from '../../src/lib/server/participation/dashboard';
import { readFilters } from '../../src/lib/server/participation/filters';
import { rebuildAggregates } from '../../src/lib/server/participation/rebuild';
import { moveToCommunity } from '../../src/lib/server/people/people';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { buildDataset, TODAY_INSTANT } from './dataset';

let t: TestDatabase;
let d: Awaited<ReturnType<typeof buildDataset>>;
const district = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };

beforeAll(async () => {
	t = await createTestDatabase();
	d = await buildDataset(t.db);
});
afterAll(() => t?.close());
afterEach(() => resetClock());

async function everything() {
	const out: unknown[] = [];
	for (const community of ['all', String(d.a.id), String(d.b.id)]) {
		const r = await readFilters(t.db, district, new URLSearchParams({ from: '2025-12', to: '2026-09', community }));
		if (!r.ok) throw new Error(r.reason);
		out.push(await dashboard(t.db, r.filters), await coverageTrend(t.db, r.filters), [...(await expiringCertificates(t.db, r.filters))]);
	}
	return out;
}

it('keeps the aggregates equal to a recount through every kind of change', async () => {
	setClock(fixedClock(TODAY_INSTANT));
	const { p1, p2, p4, p5 } = d.people;
	await t.db.transaction().execute(async (trx) => {
		// P2 moves to B today: the June visit that is to come counts for B now.
		await moveToCommunity(trx, p2, d.b.id);
	});
	await t.db.updateTable('reservation').set({ status: 'cancelled' }).where('person_id', '=', p4).where('status', '=', 'reserved').execute();
	await t.db
		.updateTable('reservation')
		.set({ status: 'reserved' })
		.where('person_id', '=', p5)
		.where('status', '=', 'waitlisted')
		.execute();
	// The March doctor visit moves to April; a January session is deleted with its reservations.
	await sql`UPDATE occurrence SET starts_at = starts_at + interval '10 days', ends_at = ends_at + interval '10 days'
		WHERE programme = 'doctor' AND starts_at >= '2026-03-01'`.execute(t.db);
	await sql`DELETE FROM occurrence WHERE starts_at >= '2026-01-01' AND starts_at < '2026-02-01'`.execute(t.db);
	await t.db.updateTable('certificate').set({ revoked_at: new Date(), revoke_reason: '测试' }).where('person_id', '=', p1).execute();
	await t.db.updateTable('training_course').set({ counts_toward_coverage: true }).where('id', '=', d.courses.basic).execute();
	await t.db
		.deleteFrom('person')
		.where('id', '=', p5)
		.execute()
		.catch(() => undefined);

	const kept = await everything();
	await rebuildAggregates(t.db);
	expect(await everything()).toEqual(kept);
});
