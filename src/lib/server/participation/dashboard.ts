/**
 * The participation dashboard: per month and programme, from the monthly aggregates
 * the database keeps in step with every reservation (see the participation migration). A
 * reservation counts in the month of its start and in the person's community on that day; places
 * offered and the places used to fill them count in the occurrence's community.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { monthsBetween, type Filters } from './filters';

export const PROGRAMMES = ['doctor', 'fitness', 'training'] as const;
export type Programme = (typeof PROGRAMMES)[number];

export type Figures = {
	made: number;
	attended: number;
	noShows: number;
	lateCancelled: number;
	participants: number;
	waitlistDemand: number;
	places: number;
	placesAttended: number;
	/** placesAttended ÷ places, in percent with one decimal; null when no place was offered. */
	fillRate: number | null;
};

export type DashboardRow = Figures & { month: string; programme: Programme };

const ZERO: Omit<Figures, 'fillRate'> = {
	made: 0,
	attended: 0,
	noShows: 0,
	lateCancelled: 0,
	participants: 0,
	waitlistDemand: 0,
	places: 0,
	placesAttended: 0
};

export function fillRate(attended: number, places: number): number | null {
	return places > 0 ? Math.round((attended / places) * 1000) / 10 : null;
}

export async function dashboard(db: Kysely<Database>, f: Filters): Promise<DashboardRow[]> {
	// The whole district reads its person-side figures from the district rows (-1), where someone
	// who moved within a month is one person; places are summed over the communities' rows.
	const district = f.communities === null;
	const person = (column: string) =>
		district ? sql<number>`sum(${sql.ref(column)}) FILTER (WHERE community_id = -1)` : sql<number>`sum(${sql.ref(column)})`;
	let q = db
		.selectFrom('participation_month')
		.select([
			sql<string>`to_char(month, 'YYYY-MM')`.as('month'),
			'programme',
			person('made').as('made'),
			person('attended').as('attended'),
			person('no_show').as('no_show'),
			person('late_cancelled').as('late_cancelled'),
			person('participants').as('participants'),
			person('waitlisters').as('waitlisters'),
			sql<number>`sum(places)`.as('places'),
			sql<number>`sum(places_attended)`.as('places_attended')
		])
		.where('month', '>=', `${f.from}-01`)
		.where('month', '<=', `${f.to}-01`)
		.groupBy(['month', 'programme']);
	if (f.communities) q = q.where('community_id', 'in', f.communities);
	const found = new Map((await q.execute()).map((r) => [`${r.month}|${r.programme}`, r]));
	const rows: DashboardRow[] = [];
	for (const month of monthsBetween(f.from, f.to)) {
		for (const programme of PROGRAMMES) {
			const r = found.get(`${month}|${programme}`);
			const figures = r
				? {
						made: Number(r.made ?? 0),
						attended: Number(r.attended ?? 0),
						noShows: Number(r.no_show ?? 0),
						lateCancelled: Number(r.late_cancelled ?? 0),
						participants: Number(r.participants ?? 0),
						waitlistDemand: Number(r.waitlisters ?? 0),
						places: Number(r.places ?? 0),
						placesAttended: Number(r.places_attended ?? 0)
					}
				: ZERO;
			rows.push({ month, programme, ...figures, fillRate: fillRate(figures.placesAttended, figures.places) });
		}
	}
	return rows;
}

/** Per programme over the whole period: sums of the counts (people are counted per month). */
export function totals(rows: DashboardRow[]): (Figures & { programme: Programme })[] {
	return PROGRAMMES.map((programme) => {
		const sum = { ...ZERO };
		for (const r of rows.filter((x) => x.programme === programme)) {
			for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += r[k];
		}
		return { programme, ...sum, fillRate: fillRate(sum.placesAttended, sum.places) };
	});
}

/** Folds the appended monthly deltas into one row per key; safe to run at any time, on any server. */
export async function compactAggregates(db: Kysely<Database>): Promise<void> {
	await sql`WITH gone AS (DELETE FROM participation_month RETURNING *)
		INSERT INTO participation_month (month, community_id, programme, made, attended, no_show, late_cancelled, participants, waitlisters, places, places_attended)
		SELECT month, community_id, programme, sum(made), sum(attended), sum(no_show), sum(late_cancelled), sum(participants),
			sum(waitlisters), sum(places), sum(places_attended)
		FROM gone GROUP BY month, community_id, programme
		HAVING abs(sum(made)) + abs(sum(attended)) + abs(sum(no_show)) + abs(sum(late_cancelled)) + abs(sum(participants))
			+ abs(sum(waitlisters)) + abs(sum(places)) + abs(sum(places_attended)) <> 0`.execute(db);
	await sql`WITH gone AS (DELETE FROM coverage_month RETURNING *)
		INSERT INTO coverage_month (month, community_id, holders)
		SELECT month, community_id, sum(holders) FROM gone GROUP BY month, community_id HAVING sum(holders) <> 0`.execute(db);
}

const COMPACT_EVERY_MS = 60_000;
let lastCompaction = 0;

/** Every app server folds the deltas at most once a minute; two doing it at once is harmless. */
export function registerParticipationWork(register: (name: string, task: (db: Kysely<Database>) => Promise<unknown>) => void): void {
	register('participation-compaction', async (db) => {
		if (Date.now() - lastCompaction < COMPACT_EVERY_MS) return;
		lastCompaction = Date.now();
		await compactAggregates(db);
	});
}
