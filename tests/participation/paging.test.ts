/**
 * The long lists of the participation pages come a page at a time: the expiring certificates (on
 * the coverage page) page by page in the same order as the whole list the export writes, with
 * the count of all of them; a new certificate shows in the count at once, and a holder who moves
 * is counted under their new community at once (the list reads the community kept with each
 * holder's cover, not the membership table).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { expiringCertificates, expiringPage } from '../../src/lib/server/participation/coverage';
import { readFilters, type Filters } from '../../src/lib/server/participation/filters';
import { moveToCommunity } from '../../src/lib/server/people/people';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createPerson } from '../helpers/factories';
import { buildDataset, TODAY_INSTANT } from './dataset';

let t: TestDatabase;
let d: Awaited<ReturnType<typeof buildDataset>>;
const district = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };

beforeAll(async () => {
	t = await createTestDatabase();
	d = await buildDataset(t.db);
});
afterAll(() => t?.close());
beforeEach(() => setClock(fixedClock(TODAY_INSTANT)));
afterEach(() => resetClock());

async function filters(community: number | 'all'): Promise<Filters> {
	const r = await readFilters(t.db, district, new URLSearchParams({ from: '2026-01', to: '2026-06', community: String(community) }));
	if (!r.ok) throw new Error(r.reason);
	return r.filters;
}

let n = 0;
/** A person of community B with one CPR certificate valid until `validUntil` (within the 90 days after 2026-06-15). */
async function holder(validUntil: string): Promise<string> {
	n++;
	const person = await createPerson(t.db, { communityId: d.b.id });
	const starts = shanghaiInstant(`2023-02-${String(n).padStart(2, '0')}`, '09:00');
	const o = await t.db
		.insertInto('occurrence')
		.values({
			programme: 'training',
			community_id: d.b.id,
			title_zh: '培训',
			title_en: 'Training',
			starts_at: starts,
			ends_at: new Date(starts.getTime() + 3_600_000),
			capacity: 10,
			created_at: new Date('2023-01-01T00:00:00Z')
		})
		.returning(['id', 'starts_at', 'ends_at'])
		.executeTakeFirstOrThrow();
	const r = await t.db
		.insertInto('reservation')
		.values({
			occurrence_id: o.id,
			person_id: person.id,
			status: 'attended',
			during: sql<string>`tstzrange(${o.starts_at}, ${o.ends_at}, '[)')`,
			created_at: new Date('2023-01-01T00:00:00Z'),
			updated_at: new Date('2023-01-01T00:00:00Z')
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const number = `DM-FA-PAGE-${String(n).padStart(6, '0')}`;
	await t.db
		.insertInto('certificate')
		.values({
			number,
			verification_code: `paging${n}`.padEnd(30, 'y'),
			reservation_id: r.id,
			person_id: person.id,
			course_id: d.courses.cpr,
			holder_family_name: '孙',
			holder_given_name: `${n}`,
			trained_on: '2024-07-01',
			valid_until: validUntil,
			issued_at: new Date('2024-07-01T08:00:00Z')
		})
		.execute();
	return number;
}

describe('the expiring certificates, a page at a time', () => {
	it('pages through the whole list in its order, with the count of all', async () => {
		await holder('2026-08-31');
		await holder('2026-06-30');
		await holder('2026-09-10');
		await holder('2026-07-15');
		const f = await filters('all');
		const whole = (await expiringCertificates(t.db, f)).map((c) => c.number);
		// By hand: K5 (2026-07-31) and the four above, soonest first.
		expect(whole).toEqual(['DM-FA-PAGE-000002', 'DM-FA-PAGE-000004', d.certificates.k5, 'DM-FA-PAGE-000001', 'DM-FA-PAGE-000003']);
		const pages = await Promise.all([1, 2, 3, 4].map((p) => expiringPage(t.db, f, p, 2)));
		expect(pages.map((p) => p.total)).toEqual([5, 5, 5, 5]);
		expect(pages.map((p) => p.rows.map((c) => c.number))).toEqual([whole.slice(0, 2), whole.slice(2, 4), whole.slice(4), []]);
		expect(pages[0]!.rows[0]).toMatchObject({ validUntil: '2026-06-30', number: 'DM-FA-PAGE-000002', communityId: d.b.id });
		// Community A has none of them.
		expect(await expiringPage(t.db, await filters(d.a.id), 1, 2)).toEqual({ total: 0, rows: [] });
	});

	it('follows a holder who moves, and leaves out one who no longer belongs to a community', async () => {
		const number = await holder('2026-08-01');
		const { person_id: personId } = await t.db
			.selectFrom('certificate')
			.select('person_id')
			.where('number', '=', number)
			.executeTakeFirstOrThrow();
		const numbers = async (community: number | 'all') =>
			(await expiringPage(t.db, await filters(community), 1, 100)).rows.map((c) => c.number);
		const [inA, inB, inAll] = [await numbers(d.a.id), await numbers(d.b.id), await numbers('all')];
		expect(inB).toContain(number);
		expect(inA).not.toContain(number);

		await t.db.transaction().execute((trx) => moveToCommunity(trx, personId, d.a.id));
		expect(await numbers(d.a.id)).toEqual([...inA, number]);
		expect(await numbers(d.b.id)).toEqual(inB.filter((x) => x !== number));
		expect(await numbers('all')).toEqual(inAll);
		expect((await expiringPage(t.db, await filters(d.a.id), 1)).total).toBe(inA.length + 1);

		// The current membership is withdrawn (recorded in error), none follows: in no community's list, nor the district's.
		await t.db.deleteFrom('community_membership').where('person_id', '=', personId).where('valid_to', 'is', null).execute();
		expect(await numbers(d.a.id)).toEqual(inA);
		expect(await numbers('all')).toEqual(inAll.filter((x) => x !== number));
		expect((await expiringCertificates(t.db, await filters('all'))).map((c) => c.number)).not.toContain(number);
	});

	it('counts a new certificate at once', async () => {
		const f = await filters(d.b.id);
		const before = (await expiringPage(t.db, f, 1)).total;
		await holder('2026-07-01');
		expect((await expiringPage(t.db, f, 1)).total).toBe(before + 1);
	});
});
