/** The demo data set's trainings (issue #8, item 6), on a fresh database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { upcomingSessions } from '../../src/lib/server/training/sessions';
import { trainees, ownSession } from '../../src/lib/server/training/trainer';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemoData(t.db);
	await seedDemoData(t.db); // idempotent
}, 120_000);
afterAll(() => t?.close());

describe('demo trainings', () => {
	it('have two courses, upcoming sessions in two communities, one full with a waitlist', async () => {
		const courses = await t.db.selectFrom('training_course').select(['code', 'counts_toward_coverage']).orderBy('id').execute();
		expect(courses).toEqual([
			{ code: 'CPR-AED', counts_toward_coverage: true },
			{ code: 'BFA', counts_toward_coverage: false }
		]);
		const upcoming = await upcomingSessions(t.db, 'zh-CN');
		expect(new Set(upcoming.map((s) => s.community)).size).toBeGreaterThanOrEqual(2);
		expect(upcoming.some((s) => s.state === 'full' && s.waiting > 0)).toBe(true);
		expect(upcoming.some((s) => s.state === 'open')).toBe(true);
	});

	it('have a finished session whose trainees are assessed per skill, ready for certificates', async () => {
		const trainer = await t.db.selectFrom('account').select('id').where('login_phone', '=', '13800000002').executeTakeFirstOrThrow();
		const past = await t.db
			.selectFrom('training_session')
			.innerJoin('occurrence', 'occurrence.id', 'training_session.occurrence_id')
			.select('occurrence.id')
			.where('occurrence.ends_at', '<', new Date(Date.now() - 5 * 24 * 60 * 60_000))
			.executeTakeFirstOrThrow();
		const session = (await ownSession(t.db, trainer.id, past.id))!;
		const list = await trainees(t.db, session);
		expect(list.filter((x) => x.status === 'attended' && x.passedAll)).toHaveLength(6);
		expect(list.filter((x) => x.status === 'attended' && !x.passedAll)).toHaveLength(1);
		expect(list.filter((x) => x.status === 'no_show')).toHaveLength(1);
	});
});
