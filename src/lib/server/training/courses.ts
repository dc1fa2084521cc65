/**
 * Courses (e.g. "CPR + AED", "basic first aid"): what is taught, how long it takes, the practical
 * skills a trainee must show, how long the certificate stays valid and whether it counts toward the
 * coverage rate. Courses serve every community, so only staff who work for all of them edit them.
 */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import { scopeOf } from '../auth/roles';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import type { Actor } from '../people/people';

export type SkillInput = { nameZh: string; nameEn: string };

export type CourseInput = {
	code: string;
	titleZh: string;
	titleEn: string;
	descriptionZh: string;
	descriptionEn: string;
	durationMinutes: number;
	validityMonths: number;
	countsTowardCoverage: boolean;
	skills: SkillInput[];
};

export type CourseResult = { ok: true; courseId: number } | { ok: false; reason: 'out-of-scope' | 'not-found' | 'code-taken' };

/** Whether this staff member may create and edit courses (staff of every community). */
export function mayManageCourses(actor: Actor): boolean {
	return scopeOf(actor.roles, 'staff') === 'all';
}

function courseColumns(input: CourseInput) {
	return {
		code: input.code,
		title_zh: input.titleZh,
		title_en: input.titleEn,
		description_zh: input.descriptionZh,
		description_en: input.descriptionEn,
		duration_minutes: input.durationMinutes,
		validity_months: input.validityMonths,
		counts_toward_coverage: input.countsTowardCoverage
	};
}

export async function createCourse(db: Kysely<Database>, actor: Actor, input: CourseInput): Promise<CourseResult> {
	if (!mayManageCourses(actor)) return { ok: false, reason: 'out-of-scope' };
	try {
		return await db.transaction().execute(async (trx) => {
			const at = now();
			const course = await trx
				.insertInto('training_course')
				.values({ ...courseColumns(input), created_at: at, updated_at: at })
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('training_skill')
				.values(input.skills.map((s, i) => ({ course_id: course.id, position: i + 1, name_zh: s.nameZh, name_en: s.nameEn })))
				.execute();
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: 'training_course.create',
				subjectType: 'training_course',
				subjectId: course.id
			});
			return { ok: true as const, courseId: course.id };
		});
	} catch (error) {
		if (isUniqueViolation(error, 'training_course_code_key')) return { ok: false, reason: 'code-taken' };
		throw error;
	}
}

/**
 * Changes a course. Skills are matched by position: a renamed skill keeps its assessments; skills
 * beyond the new list are retired (kept, so that past assessments still name them).
 */
export async function updateCourse(db: Kysely<Database>, actor: Actor, courseId: number, input: CourseInput): Promise<CourseResult> {
	if (!mayManageCourses(actor)) return { ok: false, reason: 'out-of-scope' };
	try {
		return await db.transaction().execute(async (trx) => {
			const found = await trx.selectFrom('training_course').select('id').where('id', '=', courseId).forUpdate().executeTakeFirst();
			if (!found) return { ok: false as const, reason: 'not-found' as const };
			await trx
				.updateTable('training_course')
				.set({ ...courseColumns(input), updated_at: now() })
				.where('id', '=', courseId)
				.execute();
			for (const [i, s] of input.skills.entries()) {
				await trx
					.insertInto('training_skill')
					.values({ course_id: courseId, position: i + 1, name_zh: s.nameZh, name_en: s.nameEn })
					.onConflict((oc) => oc.columns(['course_id', 'position']).doUpdateSet({ name_zh: s.nameZh, name_en: s.nameEn, retired_at: null }))
					.execute();
			}
			await trx
				.updateTable('training_skill')
				.set({ retired_at: now() })
				.where('course_id', '=', courseId)
				.where('position', '>', input.skills.length)
				.where('retired_at', 'is', null)
				.execute();
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: 'training_course.update',
				subjectType: 'training_course',
				subjectId: courseId
			});
			return { ok: true as const, courseId };
		});
	} catch (error) {
		if (isUniqueViolation(error, 'training_course_code_key')) return { ok: false, reason: 'code-taken' };
		throw error;
	}
}

export type CourseView = {
	id: number;
	code: string;
	title: string;
	description: string;
	durationMinutes: number;
	validityMonths: number;
	countsTowardCoverage: boolean;
	skills: { id: number; name: string }[];
};

export type Skill = { id: number; position: number; nameZh: string; nameEn: string };

/** The skills a trainee must show now (retired ones left out), in order. */
export async function skillsOf(db: Kysely<Database>, courseId: number): Promise<Skill[]> {
	const rows = await db
		.selectFrom('training_skill')
		.select(['id', 'position', 'name_zh', 'name_en'])
		.where('course_id', '=', courseId)
		.where('retired_at', 'is', null)
		.orderBy('position')
		.execute();
	return rows.map((r) => ({ id: r.id, position: r.position, nameZh: r.name_zh, nameEn: r.name_en }));
}

export async function listCourses(db: Kysely<Database>, locale: Locale): Promise<CourseView[]> {
	const rows = await db.selectFrom('training_course').selectAll().orderBy('id').execute();
	const en = locale === 'en';
	return Promise.all(
		rows.map(async (r) => ({
			id: r.id,
			code: r.code,
			title: en ? r.title_en : r.title_zh,
			description: en ? r.description_en : r.description_zh,
			durationMinutes: r.duration_minutes,
			validityMonths: r.validity_months,
			countsTowardCoverage: r.counts_toward_coverage,
			skills: (await skillsOf(db, r.id)).map((s) => ({ id: s.id, name: en ? s.nameEn : s.nameZh }))
		}))
	);
}

/** A course as its edit form shows it: both languages, skills one per line as "中文 | English". */
export async function courseForEdit(db: Kysely<Database>, courseId: number): Promise<Record<string, string> | null> {
	const r = await db.selectFrom('training_course').selectAll().where('id', '=', courseId).executeTakeFirst();
	if (!r) return null;
	const skills = await skillsOf(db, courseId);
	return {
		code: r.code,
		titleZh: r.title_zh,
		titleEn: r.title_en,
		descriptionZh: r.description_zh,
		descriptionEn: r.description_en,
		durationMinutes: String(r.duration_minutes),
		validityMonths: String(r.validity_months),
		countsTowardCoverage: r.counts_toward_coverage ? '1' : '',
		skills: skills.map((s) => `${s.nameZh} | ${s.nameEn}`).join('\n')
	};
}
