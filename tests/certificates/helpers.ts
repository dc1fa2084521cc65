/** A class that attended yesterday and passed every skill: what the race test and the bench issue. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { createPerson } from '../helpers/factories';
import { newSession } from '../training/helpers';

const FAMILY = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '欧阳', '司马'];
const GIVEN = ['秀英', '建国', '小明', '丽华', '志强', '海燕', '伟', '敏', '晓梅', '德胜'];

export async function passedClass(db: Kysely<Database>, size: number) {
	const session = await newSession(db, { capacity: size });
	// Moved to yesterday: the services rightly refuse to create sessions in the past.
	await sql`UPDATE occurrence SET starts_at = now() - interval '1 day', ends_at = now() - interval '1 day' + interval '2 hours'
		WHERE id = ${session.occurrenceId}`.execute(db);
	const skills = await db.selectFrom('training_skill').select('id').where('course_id', '=', session.courseId).execute();
	const trainees: { reservationId: number; personId: number; familyName: string; givenName: string }[] = [];
	for (let i = 0; i < size; i++) {
		const familyName = FAMILY[i % FAMILY.length]!;
		const givenName = GIVEN[i % GIVEN.length]!;
		const person = await createPerson(db, { familyName, givenName, communityId: session.communityId });
		const row = await sql<{ id: number }>`
			INSERT INTO reservation (occurrence_id, person_id, status, during, checked_in_at, created_at, updated_at)
			SELECT o.id, ${person.id}, 'attended', tstzrange(o.starts_at, o.ends_at, '[)'), o.starts_at, now(), now()
			FROM occurrence o WHERE o.id = ${session.occurrenceId} RETURNING id`.execute(db);
		const reservationId = Number(row.rows[0]!.id);
		await db
			.insertInto('training_assessment')
			.values(
				skills.map((s) => ({
					reservation_id: reservationId,
					skill_id: s.id,
					passed: true,
					note: null,
					assessed_by: null,
					assessed_at: new Date()
				}))
			)
			.execute();
		trainees.push({ reservationId, personId: person.id, familyName, givenName });
	}
	return { session, trainees };
}

/** The trainer's issue form for the class: every name as recorded, confirmed. */
export function issueForm(trainees: { reservationId: number; familyName: string; givenName: string }[]): URLSearchParams {
	const form = new URLSearchParams({ confirm: '1' });
	for (const t of trainees) {
		form.set(`family${t.reservationId}`, t.familyName);
		form.set(`given${t.reservationId}`, t.givenName);
	}
	return form;
}
