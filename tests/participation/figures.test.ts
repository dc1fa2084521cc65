/**
 * Every dashboard and coverage figure of the hand-made data set (dataset.ts), and the CSV, against
 * numbers written by hand here — never against the portal's own queries.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { coverageNow, coverageTrend, expiringCertificates, notifyRefresher } from '../../src/lib/server/participation/coverage';
import { compactAggregates, dashboard, totals, type DashboardRow } from '../../src/lib/server/participation/dashboard';
import { exportCsv } from '../../src/lib/server/participation/exports';
import { readFilters, type Filters } from '../../src/lib/server/participation/filters';
import { rebuildAggregates } from '../../src/lib/server/participation/rebuild';
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
beforeEach(() => setClock(fixedClock(TODAY_INSTANT)));
afterEach(() => resetClock());

async function filters(community: number | 'all', from = '2026-01', to = '2026-06'): Promise<Filters> {
	const r = await readFilters(t.db, district, new URLSearchParams({ from, to, community: String(community) }));
	if (!r.ok) throw new Error(r.reason);
	return r.filters;
}

// [month, programme, made, attended, no-shows, late cancellations, participants, waitlist demand, places, places used, fill %]
type Expected = [string, string, number, number, number, number, number, number, number, number, number | null];
const row = (r: DashboardRow): Expected => [
	r.month,
	r.programme,
	r.made,
	r.attended,
	r.noShows,
	r.lateCancelled,
	r.participants,
	r.waitlistDemand,
	r.places,
	r.placesAttended,
	r.fillRate
];
const quiet = (month: string): Expected[] => [
	[month, 'doctor', 0, 0, 0, 0, 0, 0, 0, 0, null],
	[month, 'fitness', 0, 0, 0, 0, 0, 0, 0, 0, null],
	[month, 'training', 0, 0, 0, 0, 0, 0, 0, 0, null]
];

const ALL: Expected[] = [
	['2026-01', 'doctor', 0, 0, 0, 0, 0, 0, 0, 0, null],
	['2026-01', 'fitness', 3, 1, 1, 1, 1, 0, 10, 1, 10],
	['2026-01', 'training', 0, 0, 0, 0, 0, 0, 0, 0, null],
	...quiet('2026-02'),
	['2026-03', 'doctor', 1, 1, 0, 0, 1, 0, 1, 1, 100],
	// P3 attended in A (5 March) and in B (20 March): one participant of the district, not two.
	['2026-03', 'fitness', 4, 4, 0, 0, 2, 1, 4, 4, 100],
	['2026-03', 'training', 0, 0, 0, 0, 0, 0, 0, 0, null],
	...quiet('2026-04'),
	['2026-05', 'doctor', 0, 0, 0, 0, 0, 0, 0, 0, null],
	['2026-05', 'fitness', 1, 1, 0, 0, 1, 0, 3, 1, 33.3],
	['2026-05', 'training', 2, 1, 0, 0, 1, 1, 5, 1, 20],
	['2026-06', 'doctor', 0, 0, 0, 0, 0, 0, 0, 0, null],
	['2026-06', 'fitness', 2, 0, 0, 0, 0, 0, 4, 0, 0],
	['2026-06', 'training', 0, 0, 0, 0, 0, 0, 0, 0, null]
];

const A: Expected[] = [
	['2026-01', 'doctor', 0, 0, 0, 0, 0, 0, 0, 0, null],
	['2026-01', 'fitness', 3, 1, 1, 1, 1, 0, 10, 1, 10],
	['2026-01', 'training', 0, 0, 0, 0, 0, 0, 0, 0, null],
	...quiet('2026-02'),
	['2026-03', 'doctor', 1, 1, 0, 0, 1, 0, 1, 1, 100],
	// P3's 20 March visit counts for B (moved on 10 March); the places used stay with A's sessions.
	['2026-03', 'fitness', 3, 3, 0, 0, 2, 1, 4, 4, 100],
	['2026-03', 'training', 0, 0, 0, 0, 0, 0, 0, 0, null],
	...quiet('2026-04'),
	['2026-05', 'doctor', 0, 0, 0, 0, 0, 0, 0, 0, null],
	['2026-05', 'fitness', 1, 1, 0, 0, 1, 0, 3, 1, 33.3],
	['2026-05', 'training', 0, 0, 0, 0, 0, 0, 0, 0, null],
	...quiet('2026-06')
];

const B: Expected[] = [
	...quiet('2026-01'),
	...quiet('2026-02'),
	['2026-03', 'doctor', 0, 0, 0, 0, 0, 0, 0, 0, null],
	['2026-03', 'fitness', 1, 1, 0, 0, 1, 0, 0, 0, null],
	['2026-03', 'training', 0, 0, 0, 0, 0, 0, 0, 0, null],
	...quiet('2026-04'),
	['2026-05', 'doctor', 0, 0, 0, 0, 0, 0, 0, 0, null],
	['2026-05', 'fitness', 0, 0, 0, 0, 0, 0, 0, 0, null],
	['2026-05', 'training', 2, 1, 0, 0, 1, 1, 5, 1, 20],
	['2026-06', 'doctor', 0, 0, 0, 0, 0, 0, 0, 0, null],
	['2026-06', 'fitness', 2, 0, 0, 0, 0, 0, 4, 0, 0],
	['2026-06', 'training', 0, 0, 0, 0, 0, 0, 0, 0, null]
];

describe('the dashboard', () => {
	it('gives every figure of the district by month and programme', async () => {
		expect((await dashboard(t.db, await filters('all'))).map(row)).toEqual(ALL);
	});

	it('counts a reservation in the community the person belonged to on the day it started', async () => {
		expect((await dashboard(t.db, await filters(d.a.id))).map(row)).toEqual(A);
		expect((await dashboard(t.db, await filters(d.b.id))).map(row)).toEqual(B);
	});

	it('sums the whole period per programme', async () => {
		const sums = totals(await dashboard(t.db, await filters('all'))).map((r) => [
			r.programme,
			r.made,
			r.attended,
			r.noShows,
			r.lateCancelled,
			r.places,
			r.placesAttended,
			r.fillRate
		]);
		expect(sums).toEqual([
			['doctor', 1, 1, 0, 0, 1, 1, 100],
			['fitness', 10, 6, 1, 1, 21, 6, 28.6],
			['training', 2, 1, 0, 0, 5, 1, 20]
		]);
	});

	it('gives the same figures after the deltas are folded, and after a rebuild from scratch', async () => {
		await compactAggregates(t.db);
		expect((await dashboard(t.db, await filters('all'))).map(row)).toEqual(ALL);
		expect((await dashboard(t.db, await filters(d.a.id))).map(row)).toEqual(A);
		await rebuildAggregates(t.db);
		expect((await dashboard(t.db, await filters('all'))).map(row)).toEqual(ALL);
		expect((await dashboard(t.db, await filters(d.b.id))).map(row)).toEqual(B);
		expect((await coverageTrend(t.db, await filters('all'))).map((p) => p.holders)).toEqual([3, 3, 2, 2, 3, 3]);
	});
});

describe('the coverage rate', () => {
	it('follows each month: holders on its last day ÷ the population in force', async () => {
		const trend = async (c: number | 'all') =>
			(await coverageTrend(t.db, await filters(c))).map((p) => [p.month, p.holders, p.population, p.rate]);
		// A: P1, P2 (until February), P3 (until the move); B: P3 from March, P4 from May (K4 revoked never counts).
		expect(await trend(d.a.id)).toEqual([
			['2026-01', 3, 100, 3],
			['2026-02', 3, 100, 3],
			['2026-03', 1, 100, 1],
			['2026-04', 1, 100, 1],
			['2026-05', 1, 100, 1],
			['2026-06', 1, 100, 1]
		]);
		expect(await trend(d.b.id)).toEqual([
			['2026-01', 0, 50, 0],
			['2026-02', 0, 50, 0],
			['2026-03', 1, 50, 2],
			['2026-04', 1, 80, 1.25],
			['2026-05', 2, 80, 2.5],
			['2026-06', 2, 80, 2.5]
		]);
		expect(await trend('all')).toEqual([
			['2026-01', 3, 150, 2],
			['2026-02', 3, 150, 2],
			['2026-03', 2, 150, 1.33],
			['2026-04', 2, 180, 1.11],
			['2026-05', 3, 180, 1.67],
			['2026-06', 3, 180, 1.67]
		]);
	});

	it('stops at the current month', async () => {
		expect((await coverageTrend(t.db, await filters('all', '2026-05', '2026-09'))).map((p) => p.month)).toEqual(['2026-05', '2026-06']);
	});

	it('gives today’s figure per community', async () => {
		const now = (await coverageNow(t.db, await filters('all'))).filter((c) => c.communityId === d.a.id || c.communityId === d.b.id);
		expect(now.map((c) => [c.code, c.holders, c.population, c.rate, c.target])).toEqual([
			['pa', 1, 100, 1, null],
			['pb', 2, 80, 2.5, null]
		]);
	});

	it('lists certificates expiring in the next 90 days, except for people already renewed', async () => {
		const list = async (c: number | 'all') => (await expiringCertificates(t.db, await filters(c))).map((x) => [x.number, x.validUntil]);
		expect(await list('all')).toEqual([[d.certificates.k5, '2026-07-31']]);
		expect(await list(d.a.id)).toEqual([]);
		expect(await list(d.b.id)).toEqual([[d.certificates.k5, '2026-07-31']]);
	});
});

describe('the CSV exports', () => {
	it('writes the dashboard of a community with a BOM, CRLF and the period and community in the name', async () => {
		const csv = await exportCsv(t.db, 'dashboard', await filters(d.b.id, '2026-03', '2026-04'), 'en');
		expect(csv.fileName).toBe('participation-dashboard_2026-03_2026-04_pb.csv');
		expect(csv.body).toBe(
			'\uFEFF' +
				[
					'Month,Programme,Reservations,Attended,No-shows,Late cancellations,Participants,Waitlist demand (people),Places offered,Places used,Fill rate',
					'2026-03,Family doctor,0,0,0,0,0,0,0,0,',
					'2026-03,Fitness,1,1,0,0,1,0,0,0,',
					'2026-03,First-aid training,0,0,0,0,0,0,0,0,',
					'2026-04,Family doctor,0,0,0,0,0,0,0,0,',
					'2026-04,Fitness,0,0,0,0,0,0,0,0,',
					'2026-04,First-aid training,0,0,0,0,0,0,0,0,'
				].join('\r\n') +
				'\r\n'
		);
	});

	it('writes the coverage trend and the totals in Chinese', async () => {
		const coverage = await exportCsv(t.db, 'coverage', await filters(d.b.id, '2026-03', '2026-05'), 'zh-CN');
		expect(coverage.fileName).toBe('participation-coverage_2026-03_2026-05_pb.csv');
		expect(coverage.body).toBe('\uFEFF月份,持证人数,登记人口,普及率\r\n2026-03,1,50,2%\r\n2026-04,1,80,1.25%\r\n2026-05,2,80,2.5%\r\n');
		const sums = await exportCsv(t.db, 'totals', await filters('all'), 'zh-CN');
		expect(sums.fileName).toBe('participation-totals_2026-01_2026-06_all.csv');
		expect(sums.body.split('\r\n').slice(1, 4)).toEqual([
			'家庭医生,1,1,0,0,1,0,1,1,100%',
			'健身场地,10,6,1,1,4,1,21,6,28.6%',
			'急救培训,2,1,0,0,1,1,5,1,20%'
		]);
	});

	it('neutralises a cell that a spreadsheet would take for a formula', async () => {
		const csv = await exportCsv(t.db, 'expiring', await filters(d.b.id), 'en');
		expect(csv.body).toBe(
			`\uFEFFName,Community,Certificate number,Course,Valid until\r\n'=SUM(1),Community B,${d.certificates.k5},CPR course,2026-07-31\r\n`
		);
	});
});

describe('notifying the people whose certificates expire', () => {
	it('sends one notice each, audited, and nothing twice', async () => {
		const first = await notifyRefresher(t.db, district, await filters(d.b.id));
		expect(first).toEqual({ ok: true, sent: 1, skipped: 0 });
		const again = await notifyRefresher(t.db, district, await filters(d.b.id));
		expect(again).toEqual({ ok: true, sent: 0, skipped: 1 });
		const notices = await t.db
			.selectFrom('notification')
			.select(['person_id', 'kind', 'params'])
			.where('kind', '=', 'coverage_refresher')
			.execute();
		expect(notices).toEqual([{ person_id: d.people.p3, kind: 'coverage_refresher', params: { until: '2026-07-31' } }]);
		const audited = await t.db
			.selectFrom('audit_log')
			.select(['action', 'subject_id', 'community_id'])
			.where('action', '=', 'coverage.notify_refresher')
			.execute();
		expect(audited).toEqual([{ action: 'coverage.notify_refresher', subject_id: String(d.people.p3), community_id: d.b.id }]);
	});
});
