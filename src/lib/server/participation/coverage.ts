/**
 * First-aid coverage rate: distinct people of a community holding a valid certificate
 * of a course that counts toward coverage ÷ the community's registered population in force.
 * A month's figure is taken on its last day (holders from the coverage aggregates the database
 * keeps in step with certificates and community moves); the current month's is the same set as
 * today's, because certificates run to the end of a month and moves take effect from today.
 * Revoked certificates never count.
 */
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { audit } from '../audit';
import { addDays, now, today } from '../clock';
import { allCommunities, type Community } from '../communities';
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
type Held = { month: string; communityId: number; holders: number }[];
type Targets = { communityId: number | null; target: number }[];

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

/**
 * Everything the coverage figures are made of: holders per month and community over `from`–`to`
 * and in the current month (from the coverage aggregates), every population figure and every
 * target (both small tables) — selections for one round trip.
 */
function inputSelections(db: Kysely<Database>, from: string, to: string, communities: number[] | null) {
	const current = `${monthOf(today())}-01`;
	let held = db
		.selectFrom('coverage_month')
		.select((eb) => [sql<string>`to_char(month, 'YYYY-MM')`.as('m'), 'community_id as c', eb.fn.sum<number>('holders').as('h')])
		.where((eb) => eb.or([eb.and([eb('month', '>=', `${from}-01`), eb('month', '<=', `${to}-01`)]), eb('month', '=', current)]))
		// People with no community on record belong to no population.
		.where('community_id', '<>', 0)
		.groupBy(['month', 'community_id']);
	if (communities) held = held.where('community_id', 'in', communities);
	return [
		jsonArrayFrom(held).as('held'),
		jsonArrayFrom(db.selectFrom('community_population').select(['community_id as c', 'population as p', 'effective_from as f'])).as('pops'),
		jsonArrayFrom(db.selectFrom('coverage_target').select(['community_id as c', 'target_percent as t'])).as('targets')
	] as const;
}

type InputRow = {
	held: { m: string; c: number; h: number | string }[];
	pops: { c: number; p: number | string; f: string }[];
	targets: { c: number | null; t: number | string }[];
};

function inputsOf(row: InputRow) {
	return {
		held: row.held.map((h): Held[number] => ({ month: h.m, communityId: h.c, holders: Number(h.h) })),
		pops: row.pops.map((p): Populations[number] => ({ communityId: p.c, population: Number(p.p), effectiveFrom: String(p.f) })),
		targets: row.targets.map((t): Targets[number] => ({ communityId: t.c, target: Number(t.t) }))
	};
}

async function coverageInputs(db: Kysely<Database>, from: string, to: string, communities: number[] | null) {
	return inputsOf(await db.selectNoFrom(inputSelections(db, from, to, communities)).executeTakeFirstOrThrow());
}

type Inputs = Awaited<ReturnType<typeof coverageInputs>>;

function trendOf(inputs: Inputs, f: Filters): CoveragePoint[] {
	const current = monthOf(today());
	const to = f.to < current ? f.to : current;
	if (f.from > to) return [];
	return monthsBetween(f.from, to).map((month) => {
		const holders = inputs.held.filter((h) => h.month === month).reduce((s, h) => s + h.holders, 0);
		const population = populationOn(inputs.pops, month === current ? today() : monthEnd(month), f.communities);
		return { month, holders, population, rate: rate(holders, population) };
	});
}

function nowOf(inputs: Inputs, list: Community[]): CommunityCoverage[] {
	const month = monthOf(today());
	return list.map((c) => {
		const holders = inputs.held.find((h) => h.month === month && h.communityId === c.id)?.holders ?? 0;
		const population = populationOn(inputs.pops, today(), [c.id]);
		const target = inputs.targets.find((t) => t.communityId === c.id)?.target;
		return {
			communityId: c.id,
			code: c.code,
			nameZh: c.nameZh,
			nameEn: c.nameEn,
			holders,
			population,
			rate: rate(holders, population),
			target: target ?? null
		};
	});
}

async function communitiesIn(db: Kysely<Database>, f: Pick<Filters, 'communities'>): Promise<Community[]> {
	const all = await allCommunities(db);
	return f.communities ? all.filter((c) => f.communities!.includes(c.id)) : all;
}

/** The monthly trend over the period, up to the current month. */
export async function coverageTrend(db: Kysely<Database>, f: Filters): Promise<CoveragePoint[]> {
	return trendOf(await coverageInputs(db, f.from, f.to, f.communities), f);
}

/** Today's figure for each community in scope, with its target. */
export async function coverageNow(db: Kysely<Database>, f: Filters): Promise<CommunityCoverage[]> {
	const month = monthOf(today());
	const [inputs, list] = await Promise.all([coverageInputs(db, month, month, f.communities), communitiesIn(db, f)]);
	return nowOf(inputs, list);
}

/**
 * What the coverage page shows, from one query: today's figures, the trend and the target, and one
 * page of the expiring list with how many there are in all.
 */
export async function coverageOverview(db: Kysely<Database>, f: Filters, page = 1, size = EXPIRING_PAGE_SIZE) {
	const query = db.selectNoFrom([...inputSelections(db, f.from, f.to, f.communities), ...expiringSelections(db, f, page, size)]);
	const [row, list] = await Promise.all([query.executeTakeFirstOrThrow(), communitiesIn(db, f)]);
	const inputs = inputsOf(row);
	const target = inputs.targets.find((t) => t.communityId === f.communityId)?.target ?? null;
	return { communities: nowOf(inputs, list), trend: trendOf(inputs, f), target, expiring: expiringOfRow(row) };
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
 * which the database keeps in step with certificates and with each person's current community, so
 * that the count and the page come off its indexes.
 */
function expiringQuery(db: Kysely<Database>, f: Pick<Filters, 'communities'>) {
	const start = today();
	const q = db
		.selectFrom('coverage_person as cp')
		.where('cp.valid_until', '>=', start)
		.where('cp.valid_until', '<=', addDays(start, EXPIRY_WINDOW_DAYS));
	return f.communities ? q.where('cp.community_id', 'in', f.communities) : q.where('cp.community_id', 'is not', null);
}

function expiringRows(db: Kysely<Database>, f: Pick<Filters, 'communities'>) {
	return expiringQuery(db, f)
		.innerJoin('certificate as c', 'c.id', 'cp.certificate_id')
		.innerJoin('training_course as tc', 'tc.id', 'c.course_id')
		.innerJoin('person as p', 'p.id', 'cp.person_id')
		.select([
			'c.id',
			'c.number',
			'cp.person_id',
			'p.family_name',
			'p.given_name',
			'cp.community_id',
			'tc.title_zh',
			'tc.title_en',
			'c.valid_until'
		])
		.orderBy('cp.valid_until')
		.orderBy('cp.person_id');
}

type ExpiringRow = {
	id: number;
	number: string;
	person_id: number;
	family_name: string;
	given_name: string;
	community_id: number | null;
	title_zh: string;
	title_en: string;
	valid_until: string;
};

const expiringOf = (r: ExpiringRow): ExpiringCertificate => ({
	certificateId: r.id,
	number: r.number,
	personId: r.person_id,
	familyName: r.family_name,
	givenName: r.given_name,
	communityId: r.community_id ?? 0,
	courseZh: r.title_zh,
	courseEn: r.title_en,
	validUntil: r.valid_until
});

/** Every expiring certificate (for the export and the notices). */
export async function expiringCertificates(db: Kysely<Database>, f: Pick<Filters, 'communities'>): Promise<ExpiringCertificate[]> {
	return (await expiringRows(db, f).execute()).map(expiringOf);
}

export const EXPIRING_PAGE_SIZE = 25;

/**
 * One page of the expiring list and how many there are in all, as selections for one round trip:
 * the page comes straight off a (community, valid_until, person_id) or (valid_until, person_id)
 * index; the count off the same.
 */
function expiringSelections(db: Kysely<Database>, f: Pick<Filters, 'communities'>, page: number, size: number) {
	return [
		expiringQuery(db, f)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.as('expiringTotal'),
		jsonArrayFrom(
			expiringRows(db, f)
				.limit(size)
				.offset((page - 1) * size)
		).as('expiringRows')
	] as const;
}

function expiringOfRow(row: { expiringTotal: number | string | null; expiringRows: ExpiringRow[] }) {
	return {
		total: Number(row.expiringTotal ?? 0),
		rows: row.expiringRows.map((r) => expiringOf({ ...r, valid_until: String(r.valid_until) }))
	};
}

/** One page of the expiring list and how many there are in all, in one round trip. */
export async function expiringPage(db: Kysely<Database>, f: Pick<Filters, 'communities'>, page: number, size = EXPIRING_PAGE_SIZE) {
	return expiringOfRow(await db.selectNoFrom(expiringSelections(db, f, page, size)).executeTakeFirstOrThrow());
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
