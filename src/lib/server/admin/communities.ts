/**
 * Communities as admins manage them: names in both languages, and the registered population with
 * the date each figure applies from. The figure in force on a day is the one with the latest
 * `effective_from` not after that day; later ones are planned, earlier ones superseded.
 */
import type { Kysely } from 'kysely';
import { audit } from '../audit';
import { forgetCommunities } from '../communities';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { isUniqueViolation } from '../db/errors';

/** The database's own rule for codes (migration 202611260905): shown to admins as a field message. */
export const COMMUNITY_CODE = /^[a-z][a-z0-9-]{1,31}$/;
export const POPULATION_MAX = 10_000_000;

export type CommunityRow = {
	id: number;
	code: string;
	nameZh: string;
	nameEn: string;
	/** The figure in force on the day asked about, or null when none applies yet. */
	population: { population: number; effectiveFrom: string } | null;
};

/** Every community, with the population in force on `onDate` ('YYYY-MM-DD', Shanghai). */
export async function listCommunities(db: Kysely<Database>, onDate: string): Promise<CommunityRow[]> {
	const rows = await db
		.selectFrom('community')
		.select((eb) => [
			'community.id',
			'community.code',
			'community.name_zh',
			'community.name_en',
			eb
				.selectFrom('community_population as p')
				.select('p.population')
				.whereRef('p.community_id', '=', 'community.id')
				.where('p.effective_from', '<=', onDate)
				.orderBy('p.effective_from', 'desc')
				.limit(1)
				.as('population'),
			eb
				.selectFrom('community_population as p')
				.select('p.effective_from')
				.whereRef('p.community_id', '=', 'community.id')
				.where('p.effective_from', '<=', onDate)
				.orderBy('p.effective_from', 'desc')
				.limit(1)
				.as('effective_from')
		])
		.orderBy('community.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		code: r.code,
		nameZh: r.name_zh,
		nameEn: r.name_en,
		population: r.population !== null && r.effective_from !== null ? { population: r.population, effectiveFrom: r.effective_from } : null
	}));
}

export type PopulationEntry = {
	id: number;
	population: number;
	effectiveFrom: string;
	recordedAt: Date;
	status: 'future' | 'in-force' | 'superseded';
};

export type CommunityDetail = { id: number; code: string; nameZh: string; nameEn: string; history: PopulationEntry[] };

/** One community with its population history, newest date first, each figure marked for `onDate`. */
export async function communityDetail(db: Kysely<Database>, id: number, onDate: string): Promise<CommunityDetail | null> {
	const community = await db.selectFrom('community').select(['id', 'code', 'name_zh', 'name_en']).where('id', '=', id).executeTakeFirst();
	if (!community) return null;
	const figures = await db
		.selectFrom('community_population')
		.select(['id', 'population', 'effective_from', 'recorded_at'])
		.where('community_id', '=', id)
		.orderBy('effective_from', 'desc')
		.execute();
	const inForce = figures.find((f) => f.effective_from <= onDate);
	return {
		id: community.id,
		code: community.code,
		nameZh: community.name_zh,
		nameEn: community.name_en,
		history: figures.map((f) => ({
			id: f.id,
			population: f.population,
			effectiveFrom: f.effective_from,
			recordedAt: f.recorded_at,
			status: f === inForce ? 'in-force' : f.effective_from > onDate ? 'future' : 'superseded'
		}))
	};
}

export type CommunityNames = { nameZh: string; nameEn: string };

export type CreateCommunityResult = { ok: true; id: number } | { ok: false; reason: 'code-taken' };

export async function createCommunity(
	db: Kysely<Database>,
	actorAccountId: number,
	input: CommunityNames & { code: string }
): Promise<CreateCommunityResult> {
	try {
		const result = await db.transaction().execute(async (trx) => {
			const taken = await trx.selectFrom('community').select('id').where('code', '=', input.code).executeTakeFirst();
			if (taken) return { ok: false, reason: 'code-taken' } as const;
			const row = await trx
				.insertInto('community')
				.values({ code: input.code, name_zh: input.nameZh, name_en: input.nameEn, created_at: now() })
				.returning('id')
				.executeTakeFirstOrThrow();
			await audit(trx, {
				actorAccountId,
				action: 'community.create',
				subjectType: 'community',
				subjectId: row.id,
				communityId: row.id,
				details: { code: input.code }
			});
			return { ok: true, id: row.id } as const;
		});
		forgetCommunities(db);
		return result;
	} catch (error) {
		// Two admins creating one code at the same moment: the unique constraint decides.
		if (isUniqueViolation(error, 'community_code_key')) return { ok: false, reason: 'code-taken' };
		throw error;
	}
}

export async function renameCommunity(
	db: Kysely<Database>,
	actorAccountId: number,
	id: number,
	names: CommunityNames
): Promise<{ ok: true } | { ok: false; reason: 'not-found' }> {
	const result = await db.transaction().execute(async (trx) => {
		const before = await trx.selectFrom('community').select(['name_zh', 'name_en']).where('id', '=', id).forUpdate().executeTakeFirst();
		if (!before) return { ok: false, reason: 'not-found' } as const;
		await trx.updateTable('community').set({ name_zh: names.nameZh, name_en: names.nameEn }).where('id', '=', id).execute();
		await audit(trx, {
			actorAccountId,
			action: 'community.rename',
			subjectType: 'community',
			subjectId: id,
			communityId: id,
			details: { before: { name_zh: before.name_zh, name_en: before.name_en }, after: { name_zh: names.nameZh, name_en: names.nameEn } }
		});
		return { ok: true } as const;
	});
	forgetCommunities(db);
	return result;
}

export type RecordPopulationResult =
	{ ok: true; corrected: false } | { ok: true; corrected: true; previous: number } | { ok: false; reason: 'not-found' };

/**
 * Records the registered population from a date. A second figure for the same date corrects the
 * first (the table keeps one per day); both are audited, the correction with the figure it replaced.
 */
export async function recordPopulation(
	db: Kysely<Database>,
	actorAccountId: number,
	communityId: number,
	input: { population: number; effectiveFrom: string }
): Promise<RecordPopulationResult> {
	return db.transaction().execute(async (trx) => {
		// Locking the community serialises figures for it, so the correction sees the row it replaces.
		const community = await trx.selectFrom('community').select('id').where('id', '=', communityId).forUpdate().executeTakeFirst();
		if (!community) return { ok: false, reason: 'not-found' } as const;
		const existing = await trx
			.selectFrom('community_population')
			.select(['id', 'population'])
			.where('community_id', '=', communityId)
			.where('effective_from', '=', input.effectiveFrom)
			.executeTakeFirst();
		const at = now();
		if (existing) {
			await trx
				.updateTable('community_population')
				.set({ population: input.population, recorded_at: at })
				.where('id', '=', existing.id)
				.execute();
		} else {
			await trx
				.insertInto('community_population')
				.values({ community_id: communityId, population: input.population, effective_from: input.effectiveFrom, recorded_at: at })
				.execute();
		}
		await audit(trx, {
			actorAccountId,
			action: existing ? 'community.population_correct' : 'community.population',
			subjectType: 'community',
			subjectId: communityId,
			communityId,
			details: {
				population: input.population,
				effective_from: input.effectiveFrom,
				...(existing ? { previous: existing.population } : {})
			}
		});
		return existing ? ({ ok: true, corrected: true, previous: existing.population } as const) : ({ ok: true, corrected: false } as const);
	});
}
