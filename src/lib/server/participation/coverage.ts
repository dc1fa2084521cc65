/**
 * First-aid coverage rate (PRODUCT §8): distinct people of a community holding a valid certificate
 * of a course that counts toward coverage ÷ the community's registered population in force.
 * A month's figure is taken on its last day (holders from the coverage aggregates the database
 * keeps in step with certificates and community moves); the current month's is the same set as
 * today's, because certificates run to the end of a month and moves take effect from today.
 * Revoked certificates never count.
 */
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit';
import { addDays, now, today } from '../clock';
import type { Database } from '../db/schema';
import { notify } from '../notifications/notify';
import type { Actor } from '../people/people';
import { staffCovers } from '../people/people';
import { monthEnd, monthOf, monthsBetween, type Filters } from './filters';

export type CoveragePoint = { month: string; holders: number; population: number; rate: number | null };
export type CommunityCoverage = { communityId: number; code: string; nameZh: string; nameEn: string } & Omit<CoveragePoint, 'month'> & {
		target: number | null;
	};

export function rate(holders: number, population: number): number | null {
	return population > 0 ? Math.round((holders / population) * 10_000) / 100 : null;
}

type Populations = { communityId: number; population: number; effectiveFrom: string }[];

async function populations(db: Kysely<Database>): Promise<Populations> {
	const rows = await db.selectFrom('community_population').select(['community_id', 'population', 'effective_from']).execute();
	return rows.map((r) => ({ communityId: r.community_id, population: r.population, effectiveFrom: r.effective_from }));
}

/** The population in force on `day` for each community (the latest figure that applies by then). */
function populationOn(all: Populations, day: string, communities: number[] | null): number {
	const best = new Map<number, { from: string; population: number }>();
	for (const p of all) {
		if (p.effectiveFrom > day || (communities && !communities.includes(p.communityId))) continue;
		const seen = best.get(p.communityId);
		if (!seen || p.effectiveFrom > seen.from) best.set(p.communityId, { from: p.effectiveFrom, population: p.population });
	}
	return [...best.values()].reduce((sum, p) => sum + p.population, 0);
}

async function holdersByMonth(db: Kysely<Database>, from: string, to: string, communities: number[] | null) {
	let q = db
		.selectFrom('coverage_month')
		.select((eb) => [sql<string>`to_char(month, 'YYYY-MM')`.as('month'), 'community_id', eb.fn.sum<number>('holders').as('holders')])
		.where('month', '>=', `${from}-01`)
		.where('month', '<=', `${to}-01`)
		// People with no community on record belong to no population.
		.where('community_id', '<>', 0)
		.groupBy(['month', 'community_id']);
	if (communities) q = q.where('community_id', 'in', communities);
	return (await q.execute()).map((r) => ({ month: r.month, communityId: r.community_id, holders: Number(r.holders) }));
}

/** The monthly trend over the period, up to the current month. */
export async function coverageTrend(db: Kysely<Database>, f: Filters): Promise<CoveragePoint[]> {
	const current = monthOf(today());
	const to = f.to < current ? f.to : current;
	if (f.from > to) return [];
	const [held, pops] = await Promise.all([holdersByMonth(db, f.from, to, f.communities), populations(db)]);
	return monthsBetween(f.from, to).map((month) => {
		const holders = held.filter((h) => h.month === month).reduce((s, h) => s + h.holders, 0);
		const population = populationOn(pops, month === current ? today() : monthEnd(month), f.communities);
		return { month, holders, population, rate: rate(holders, population) };
	});
}

/** Today's figure for each community in scope, with its target. */
export async function coverageNow(db: Kysely<Database>, f: Filters): Promise<CommunityCoverage[]> {
	const month = monthOf(today());
	let communities = db.selectFrom('community').select(['id', 'code', 'name_zh', 'name_en']).orderBy('id');
	if (f.communities) communities = communities.where('id', 'in', f.communities);
	const [list, held, pops, targets] = await Promise.all([
		communities.execute(),
		holdersByMonth(db, month, month, f.communities),
		populations(db),
		db.selectFrom('coverage_target').select(['community_id', 'target_percent']).execute()
	]);
	return list.map((c) => {
		const holders = held.find((h) => h.communityId === c.id)?.holders ?? 0;
		const population = populationOn(pops, today(), [c.id]);
		const target = targets.find((t) => t.community_id === c.id)?.target_percent;
		return {
			communityId: c.id,
			code: c.code,
			nameZh: c.name_zh,
			nameEn: c.name_en,
			holders,
			population,
			rate: rate(holders, population),
			target: target == null ? null : Number(target)
		};
	});
}

/** The target for the filters' community (null: the whole district's). */
export async function coverageTarget(db: Kysely<Database>, communityId: number | null): Promise<number | null> {
	const row = await db
		.selectFrom('coverage_target')
		.select('target_percent')
		.where('community_id', communityId === null ? 'is' : '=', communityId)
		.executeTakeFirst();
	return row ? Number(row.target_percent) : null;
}

export type TargetResult = { ok: true } | { ok: false; reason: 'out-of-scope' | 'bad-target' };

/** Staff set the target of a community of theirs; only district-wide staff set the district's. */
export async function setCoverageTarget(
	db: Kysely<Database>,
	actor: Actor,
	communityId: number | null,
	targetPercent: number
): Promise<TargetResult> {
	if (!staffCovers(actor, communityId)) return { ok: false, reason: 'out-of-scope' };
	if (!Number.isFinite(targetPercent) || targetPercent <= 0 || targetPercent > 100) return { ok: false, reason: 'bad-target' };
	const value = (Math.round(targetPercent * 100) / 100).toFixed(2);
	await db.transaction().execute(async (trx) => {
		const updated = await trx
			.updateTable('coverage_target')
			.set({ target_percent: value, set_by: actor.accountId, set_at: now() })
			.where('community_id', communityId === null ? 'is' : '=', communityId)
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) === 0) {
			await trx
				.insertInto('coverage_target')
				.values({ community_id: communityId, target_percent: value, set_by: actor.accountId, set_at: now() })
				.execute();
		}
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'coverage.target',
			subjectType: 'community',
			subjectId: communityId,
			communityId,
			details: { targetPercent: Number(value) }
		});
	});
	return { ok: true };
}

export type ExpiringCertificate = {
	certificateId: number;
	number: string;
	personId: number;
	familyName: string;
	givenName: string;
	communityId: number;
	courseZh: string;
	courseEn: string;
	validUntil: string;
};

export const EXPIRY_WINDOW_DAYS = 90;

/**
 * People now in the communities counted whose cover ends within the next 90 days: the certificate
 * of a counting course that expires then is their latest (someone who already holds another that
 * lasts beyond the window is not listed: their cover does not lapse). Read off `coverage_person`,
 * which the database keeps in step with certificates.
 */
function expiringQuery(db: Kysely<Database>, f: Pick<Filters, 'communities'>) {
	const start = today();
	let q = db
		.selectFrom('coverage_person as cp')
		.innerJoin('certificate as c', 'c.id', 'cp.certificate_id')
		.innerJoin('training_course as tc', 'tc.id', 'c.course_id')
		.innerJoin('community_membership as m', (j) => j.onRef('m.person_id', '=', 'cp.person_id').on('m.valid_to', 'is', null))
		.where('cp.valid_until', '>=', start)
		.where('cp.valid_until', '<=', addDays(start, EXPIRY_WINDOW_DAYS));
	if (f.communities) q = q.where('m.community_id', 'in', f.communities);
	return q;
}

/** The expiring certificates (the first `limit` of them, if given) and how many there are in all. */
export async function expiringCertificates(db: Kysely<Database>, f: Pick<Filters, 'communities'>, limit?: number) {
	let q = expiringQuery(db, f)
		.innerJoin('person as p', 'p.id', 'c.person_id')
		.select([
			'c.id',
			'c.number',
			'c.person_id',
			'p.family_name',
			'p.given_name',
			'm.community_id',
			'tc.title_zh',
			'tc.title_en',
			'c.valid_until'
		])
		.orderBy('cp.valid_until')
		.orderBy('cp.person_id');
	if (limit) q = q.limit(limit);
	// The first rows come straight off the (valid_until, person_id) index; the count is index-only.
	const [rows, total] = await Promise.all([
		q.execute(),
		limit
			? expiringQuery(db, f)
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
					.then((r) => Number(r.n))
			: null
	]);
	const list = rows.map((r): ExpiringCertificate => ({
		certificateId: r.id,
		number: r.number,
		personId: r.person_id,
		familyName: r.family_name,
		givenName: r.given_name,
		communityId: r.community_id,
		courseZh: r.title_zh,
		courseEn: r.title_en,
		validUntil: r.valid_until
	}));
	return Object.assign(list, { total: total ?? list.length });
}

export const REFRESHER_QUIET_DAYS = 30;

/**
 * "Notify these people": one notice each about the coming refresher sessions, to every holder of an
 * expiring certificate in the communities counted, except people told in the last 30 days (a second
 * click sends nothing twice). Each notice is audited.
 */
export async function notifyRefresher(db: Kysely<Database>, actor: Actor, f: Pick<Filters, 'communities' | 'communityId'>) {
	if (f.communityId !== null && !staffCovers(actor, f.communityId)) return { ok: false as const, reason: 'out-of-scope' as const };
	return db.transaction().execute(async (trx) => {
		const expiring = await expiringCertificates(trx, f);
		const people = new Map<number, ExpiringCertificate>();
		for (const c of expiring) if (!people.has(c.personId)) people.set(c.personId, c);
		const since = new Date(now().getTime() - REFRESHER_QUIET_DAYS * 86_400_000);
		const ids = [...people.keys()];
		const told = ids.length
			? await trx
					.selectFrom('notification')
					.select('person_id')
					.distinct()
					.where('kind', '=', 'coverage_refresher')
					.where('created_at', '>=', since)
					.where('person_id', 'in', ids)
					.execute()
			: [];
		const skip = new Set(told.map((r) => r.person_id));
		let sent = 0;
		for (const [personId, c] of people) {
			if (skip.has(personId)) continue;
			await notify(trx, {
				personId,
				kind: 'coverage_refresher',
				params: { until: c.validUntil },
				link: '/training'
			});
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: 'coverage.notify_refresher',
				subjectType: 'person',
				subjectId: personId,
				communityId: c.communityId,
				details: { certificateId: c.certificateId }
			});
			sent++;
		}
		return { ok: true as const, sent, skipped: skip.size };
	});
}
