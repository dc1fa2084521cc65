/** Staff manage the studios of their communities and link doctor accounts to them. */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import { holds } from '../auth/roles';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { staffCovers, type Actor } from '../people/people';
import type { Service } from './model';

export type StudioInput = {
	communityId: number;
	nameZh: string;
	nameEn: string;
	addressZh: string;
	addressEn: string;
	directionsZh: string | null;
	directionsEn: string | null;
	phone: string | null;
	stepFree: boolean;
};

export type StudioRefusal = 'out-of-scope' | 'not-found' | 'no-account' | 'not-a-doctor';
export type StudioResult = { ok: true; studioId: number } | { ok: false; reason: StudioRefusal };

function columns(input: StudioInput) {
	return {
		community_id: input.communityId,
		name_zh: input.nameZh,
		name_en: input.nameEn,
		address_zh: input.addressZh,
		address_en: input.addressEn,
		directions_zh: input.directionsZh,
		directions_en: input.directionsEn,
		phone: input.phone,
		step_free: input.stepFree
	};
}

export async function createStudio(db: Kysely<Database>, actor: Actor, input: StudioInput): Promise<StudioResult> {
	if (!staffCovers(actor, input.communityId)) return { ok: false, reason: 'out-of-scope' };
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.insertInto('doctor_studio')
			.values({ ...columns(input), created_at: now() })
			.returning('id')
			.executeTakeFirstOrThrow();
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'doctor_studio.create',
			subjectType: 'doctor_studio',
			subjectId: row.id,
			communityId: input.communityId
		});
		return { ok: true as const, studioId: row.id };
	});
}

/** The studio, if this staff member's communities include it. */
export async function studioForStaff(db: Kysely<Database>, actor: Actor, studioId: number) {
	const row = await db.selectFrom('doctor_studio').selectAll().where('id', '=', studioId).executeTakeFirst();
	return row && staffCovers(actor, row.community_id) ? row : null;
}

export async function updateStudio(db: Kysely<Database>, actor: Actor, studioId: number, input: StudioInput): Promise<StudioResult> {
	return db.transaction().execute(async (trx) => {
		const current = await trx.selectFrom('doctor_studio').select('community_id').where('id', '=', studioId).forUpdate().executeTakeFirst();
		if (!current) return { ok: false as const, reason: 'not-found' as const };
		if (!staffCovers(actor, current.community_id) || !staffCovers(actor, input.communityId))
			return { ok: false as const, reason: 'out-of-scope' as const };
		await trx.updateTable('doctor_studio').set(columns(input)).where('id', '=', studioId).execute();
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'doctor_studio.update',
			subjectType: 'doctor_studio',
			subjectId: studioId,
			communityId: input.communityId
		});
		return { ok: true as const, studioId };
	});
}

export async function studiosForStaff(db: Kysely<Database>, actor: Actor, locale: Locale) {
	const rows = await db.selectFrom('doctor_studio').selectAll().orderBy('community_id').orderBy('id').execute();
	return rows
		.filter((r) => staffCovers(actor, r.community_id))
		.map((r) => ({ id: r.id, communityId: r.community_id, name: locale === 'en' ? r.name_en : r.name_zh }));
}

export async function doctorsOfStudio(db: Kysely<Database>, studioId: number, locale: Locale) {
	const rows = await db
		.selectFrom('doctor')
		.innerJoin('account', 'account.id', 'doctor.account_id')
		.innerJoin('person', 'person.id', 'account.person_id')
		.select([
			'doctor.id',
			'doctor.title_zh',
			'doctor.title_en',
			'doctor.services',
			'doctor.active',
			'person.family_name',
			'person.given_name',
			'account.login_phone'
		])
		.where('doctor.studio_id', '=', studioId)
		.orderBy('doctor.id')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		name: `${r.family_name}${r.given_name}`,
		title: locale === 'en' ? r.title_en : r.title_zh,
		services: r.services,
		active: r.active,
		phone: r.login_phone
	}));
}

export type LinkInput = { phone: string; titleZh: string; titleEn: string; services: Service[] };

/**
 * Links the account with this log-in phone (it must hold the doctor role, which admins grant) to
 * the studio, or updates its title and services. A doctor linked to a studio elsewhere moves only
 * if the staff member covers that studio's community too.
 */
export async function linkDoctor(db: Kysely<Database>, actor: Actor, studioId: number, input: LinkInput): Promise<StudioResult> {
	return db.transaction().execute(async (trx): Promise<StudioResult> => {
		const studio = await trx.selectFrom('doctor_studio').select(['id', 'community_id']).where('id', '=', studioId).executeTakeFirst();
		if (!studio) return { ok: false, reason: 'not-found' };
		if (!staffCovers(actor, studio.community_id)) return { ok: false, reason: 'out-of-scope' };
		const account = await trx
			.selectFrom('account')
			.select('id')
			.where('login_phone', '=', input.phone)
			.where('disabled_at', 'is', null)
			.executeTakeFirst();
		if (!account) return { ok: false, reason: 'no-account' };
		const grants = await trx.selectFrom('account_role').select(['role', 'community_id']).where('account_id', '=', account.id).execute();
		if (
			!holds(
				grants.map((g) => ({ role: g.role as 'doctor', communityId: g.community_id })),
				'doctor'
			)
		)
			return { ok: false, reason: 'not-a-doctor' };
		const existing = await trx
			.selectFrom('doctor')
			.innerJoin('doctor_studio', 'doctor_studio.id', 'doctor.studio_id')
			.select(['doctor.id', 'doctor_studio.community_id'])
			.where('doctor.account_id', '=', account.id)
			.executeTakeFirst();
		if (existing && !staffCovers(actor, existing.community_id)) return { ok: false, reason: 'out-of-scope' };
		const values = { studio_id: studioId, title_zh: input.titleZh, title_en: input.titleEn, services: input.services, active: true };
		const doctorId = existing
			? (await trx.updateTable('doctor').set(values).where('id', '=', existing.id).returning('id').executeTakeFirstOrThrow()).id
			: (
					await trx
						.insertInto('doctor')
						.values({ ...values, account_id: account.id, created_at: now() })
						.returning('id')
						.executeTakeFirstOrThrow()
				).id;
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'doctor.link',
			subjectType: 'doctor',
			subjectId: doctorId,
			communityId: studio.community_id
		});
		return { ok: true, studioId };
	});
}

/** Takes a doctor off the public list (their appointments stay). */
export async function unlinkDoctor(db: Kysely<Database>, actor: Actor, doctorId: number): Promise<StudioResult> {
	const row = await db
		.selectFrom('doctor')
		.innerJoin('doctor_studio', 'doctor_studio.id', 'doctor.studio_id')
		.select(['doctor.studio_id', 'doctor_studio.community_id'])
		.where('doctor.id', '=', doctorId)
		.executeTakeFirst();
	if (!row) return { ok: false, reason: 'not-found' };
	if (!staffCovers(actor, row.community_id)) return { ok: false, reason: 'out-of-scope' };
	await db.transaction().execute(async (trx) => {
		await trx.updateTable('doctor').set({ active: false }).where('id', '=', doctorId).execute();
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'doctor.unlink',
			subjectType: 'doctor',
			subjectId: doctorId,
			communityId: row.community_id
		});
	});
	return { ok: true, studioId: row.studio_id };
}
