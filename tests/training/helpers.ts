/** Factories for the training tests: a course with skills, a session, staff and trainers. */
import type { Kysely } from 'kysely';
import { shanghaiDate, shanghaiTime } from '../../src/lib/server/clock';
import type { Database } from '../../src/lib/server/db/schema';
import { createCourse } from '../../src/lib/server/training/courses';
import { createSession } from '../../src/lib/server/training/sessions';
import { createAccount, createCommunity } from '../helpers/factories';

export const everywhere = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };

let n = 0;

export async function newCourse(db: Kysely<Database>, skills = 3) {
	n++;
	const made = await createCourse(db, everywhere, {
		code: `T${process.pid % 1000}-${n}-${Date.now() % 100000}`,
		titleZh: `心肺复苏 ${n}`,
		titleEn: `CPR ${n}`,
		descriptionZh: '课程介绍',
		descriptionEn: 'About the course',
		durationMinutes: 120,
		validityMonths: 24,
		countsTowardCoverage: true,
		skills: Array.from({ length: skills }, (_, i) => ({ nameZh: `技能${i + 1}`, nameEn: `Skill ${i + 1}` }))
	});
	if (!made.ok) throw new Error(`course: ${made.reason}`);
	return made.courseId;
}

/** A session of a new course in a new community (unless given), run by a new trainer. */
export async function newSession(
	db: Kysely<Database>,
	options: { startsAt?: Date; capacity?: number; communityId?: number; trainerAccountId?: number; courseId?: number } = {}
) {
	const communityId = options.communityId ?? (await createCommunity(db)).id;
	const trainer = options.trainerAccountId ?? (await createAccount(db, { roles: ['resident', 'trainer'] })).accountId;
	const courseId = options.courseId ?? (await newCourse(db));
	const startsAt = options.startsAt ?? new Date(Date.now() + 5 * 24 * 60 * 60_000);
	const made = await createSession(db, everywhere, {
		courseId,
		communityId,
		date: shanghaiDate(startsAt),
		startTime: shanghaiTime(startsAt),
		venueZh: '东门社区党群服务中心',
		venueEn: 'Dongmen community centre',
		trainerAccountId: trainer,
		capacity: options.capacity ?? 30
	});
	if (!made.ok) throw new Error(`session: ${made.reason}`);
	return { occurrenceId: made.occurrenceId, communityId, trainerAccountId: trainer, courseId };
}
