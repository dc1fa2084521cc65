/** Fitness spaces and their weekly opening hours; staff manage the spaces of their communities. */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { staffCovers, type Actor } from '../people/people';
import { randomSecret } from '../tokens';

export type SpaceInput = {
	communityId: number;
	nameZh: string;
	nameEn: string;
	addressZh: string;
	addressEn: string;
	directionsZh: string | null;
	directionsEn: string | null;
	contact: string | null;
	stepFree: boolean;
	capacity: number;
	facilitiesZh: string | null;
	facilitiesEn: string | null;
};

function columns(input: SpaceInput) {
	return {
		community_id: input.communityId,
		name_zh: input.nameZh,
		name_en: input.nameEn,
		address_zh: input.addressZh,
		address_en: input.addressEn,
		directions_zh: input.directionsZh,
		directions_en: input.directionsEn,
		contact: input.contact,
		step_free: input.stepFree,
		capacity: input.capacity,
		facilities_zh: input.facilitiesZh,
		facilities_en: input.facilitiesEn
	};
}

export type SpaceResult = { ok: true; spaceId: number } | { ok: false; reason: 'out-of-scope' | 'not-found' };

export async function createSpace(db: Kysely<Database>, actor: Actor, input: SpaceInput): Promise<SpaceResult> {
	if (!staffCovers(actor, input.communityId)) return { ok: false, reason: 'out-of-scope' };
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.insertInto('fitness_space')
			.values({ ...columns(input), checkin_code: randomSecret(), created_at: now() })
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'fitness_space.create',
			subjectType: 'fitness_space',
			subjectId: row.id,
			communityId: input.communityId
		});
		return { ok: true as const, spaceId: row.id };
	});
}

export async function updateSpace(db: Kysely<Database>, actor: Actor, spaceId: number, input: SpaceInput): Promise<SpaceResult> {
	return db.transaction().execute(async (trx) => {
		const current = await trx.selectFrom('fitness_space').select('community_id').where('id', '=', spaceId).forUpdate().executeTakeFirst();
		if (!current) return { ok: false as const, reason: 'not-found' as const };
		if (!staffCovers(actor, current.community_id) || !staffCovers(actor, input.communityId))
			return { ok: false as const, reason: 'out-of-scope' as const };
		await trx.updateTable('fitness_space').set(columns(input)).where('id', '=', spaceId).execute();
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'fitness_space.update',
			subjectType: 'fitness_space',
			subjectId: spaceId,
			communityId: input.communityId
		});
		return { ok: true as const, spaceId };
	});
}

export type SpaceView = {
	id: number;
	communityId: number;
	name: string;
	address: string;
	directions: string | null;
	contact: string | null;
	stepFree: boolean;
	capacity: number;
	facilities: string | null;
};

export async function spaces(
	db: Kysely<Database>,
	locale: Locale,
	filter: { communityId?: number; ids?: number[] } = {}
): Promise<SpaceView[]> {
	let query = db.selectFrom('fitness_space').selectAll().orderBy('community_id').orderBy('id');
	if (filter.communityId) query = query.where('community_id', '=', filter.communityId);
	if (filter.ids) query = filter.ids.length ? query.where('id', 'in', filter.ids) : query.where(({ lit }) => lit(false));
	const rows = await query.execute();
	const en = locale === 'en';
	return rows.map((r) => ({
		id: r.id,
		communityId: r.community_id,
		name: en ? r.name_en : r.name_zh,
		address: en ? r.address_en : r.address_zh,
		directions: en ? r.directions_en : r.directions_zh,
		contact: r.contact,
		stepFree: r.step_free,
		capacity: r.capacity,
		facilities: en ? r.facilities_en : r.facilities_zh
	}));
}

export type OpeningHours = { weekday: number; opens: string; closes: string }[];

/** Replaces a space's weekly opening hours (a weekday without hours is closed). */
export async function setOpeningHours(db: Kysely<Database>, actor: Actor, spaceId: number, hours: OpeningHours): Promise<SpaceResult> {
	return db.transaction().execute(async (trx) => {
		const space = await trx.selectFrom('fitness_space').select('community_id').where('id', '=', spaceId).forUpdate().executeTakeFirst();
		if (!space) return { ok: false as const, reason: 'not-found' as const };
		if (!staffCovers(actor, space.community_id)) return { ok: false as const, reason: 'out-of-scope' as const };
		await trx.deleteFrom('fitness_opening_hours').where('space_id', '=', spaceId).execute();
		if (hours.length)
			await trx
				.insertInto('fitness_opening_hours')
				.values(hours.map((h) => ({ space_id: spaceId, ...h })))
				.execute();
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'fitness_space.hours',
			subjectType: 'fitness_space',
			subjectId: spaceId,
			communityId: space.community_id,
			details: { days: hours.length }
		});
		return { ok: true as const, spaceId };
	});
}

export async function openingHours(db: Kysely<Database>, spaceId: number) {
	const rows = await db
		.selectFrom('fitness_opening_hours')
		.select(['weekday', 'opens', 'closes'])
		.where('space_id', '=', spaceId)
		.orderBy('weekday')
		.orderBy('opens')
		.execute();
	return rows.map((r) => ({ weekday: r.weekday, opens: r.opens.slice(0, 5), closes: r.closes.slice(0, 5) }));
}

/** Closures of a space that have not ended yet, soonest first (for its public page). */
export async function upcomingClosures(db: Kysely<Database>, spaceId: number, locale: Locale, limit = 10) {
	const rows = await db
		.selectFrom('fitness_closure')
		.select(['id', 'starts_at', 'ends_at', 'reason_zh', 'reason_en'])
		.where('space_id', '=', spaceId)
		.where('ends_at', '>', now())
		.orderBy('starts_at')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		from: r.starts_at.toISOString(),
		to: r.ends_at.toISOString(),
		reason: locale === 'en' ? r.reason_en : r.reason_zh
	}));
}
