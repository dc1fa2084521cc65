/** Courses, sessions and the trainer's desk: who may do what, and what each step records. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '../../src/lib/server/booking/reservations';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { createCourse, updateCourse, skillsOf } from '../../src/lib/server/training/courses';
import { importRoster } from '../../src/lib/server/training/roster-import';
import { cancelSession, createSession, updateSession, upcomingSessions } from '../../src/lib/server/training/sessions';
import { ownSession, recordAssessment, recordAttendance, trainees } from '../../src/lib/server/training/trainer';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity, createPerson } from '../helpers/factories';
import { everywhere, newCourse, newSession } from './helpers';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const limitedTo = (communityId: number) => ({ accountId: null, roles: [{ role: 'staff' as const, communityId }] });
const HOUR = 60 * 60_000;

describe('courses', () => {
	it('are created and edited only by staff of every community; skills keep their ids by position', async () => {
		const c = await createCommunity(t.db);
		const input = {
			code: 'BFA-1',
			titleZh: '基础急救',
			titleEn: 'Basic first aid',
			descriptionZh: '介绍',
			descriptionEn: 'About',
			durationMinutes: 90,
			validityMonths: 36,
			countsTowardCoverage: false,
			skills: [
				{ nameZh: '止血', nameEn: 'Bleeding control' },
				{ nameZh: '包扎', nameEn: 'Bandaging' }
			]
		};
		expect(await createCourse(t.db, limitedTo(c.id), input)).toEqual({ ok: false, reason: 'out-of-scope' });
		const made = await createCourse(t.db, everywhere, input);
		if (!made.ok) throw new Error('setup');
		expect(await createCourse(t.db, everywhere, input)).toEqual({ ok: false, reason: 'code-taken' });
		const before = await skillsOf(t.db, made.courseId);
		await updateCourse(t.db, everywhere, made.courseId, { ...input, skills: [{ nameZh: '止血法', nameEn: 'Stopping bleeding' }] });
		const after = await skillsOf(t.db, made.courseId);
		expect(after).toEqual([{ id: before[0]!.id, position: 1, nameZh: '止血法', nameEn: 'Stopping bleeding' }]);
	});
});

describe('sessions', () => {
	it('are created by staff of the community, with a real trainer, in the future, ending after the course duration', async () => {
		const c = await createCommunity(t.db);
		const other = await createCommunity(t.db);
		const courseId = await newCourse(t.db);
		const trainer = await createAccount(t.db, { roles: ['trainer'] });
		const resident = await createAccount(t.db, { roles: ['resident'] });
		const base = {
			courseId,
			communityId: c.id,
			date: '2030-05-06',
			startTime: '09:00',
			venueZh: '活动室',
			venueEn: 'Activity room',
			trainerAccountId: trainer.accountId,
			capacity: 20
		};
		expect(await createSession(t.db, limitedTo(other.id), base)).toEqual({ ok: false, reason: 'out-of-scope' });
		expect(await createSession(t.db, limitedTo(c.id), { ...base, trainerAccountId: resident.accountId })).toEqual({
			ok: false,
			reason: 'no-trainer'
		});
		expect(await createSession(t.db, limitedTo(c.id), { ...base, date: '2020-01-01' })).toEqual({ ok: false, reason: 'in-past' });
		const made = await createSession(t.db, limitedTo(c.id), base);
		if (!made.ok) throw new Error('setup');
		const occ = await t.db.selectFrom('occurrence').selectAll().where('id', '=', made.occurrenceId).executeTakeFirstOrThrow();
		expect(occ.programme).toBe('training');
		expect(occ.starts_at.toISOString()).toBe('2030-05-06T01:00:00.000Z');
		expect(occ.ends_at.getTime() - occ.starts_at.getTime()).toBe(120 * 60_000);
	});

	it('show open, then full with a waitlist, in the public list; cancelling tells everyone enrolled or waiting once', async () => {
		const s = await newSession(t.db, { capacity: 1 });
		const [a, b] = [await createPerson(t.db), await createPerson(t.db)];
		let [view] = await upcomingSessions(t.db, 'en', { communityId: s.communityId });
		expect(view).toMatchObject({ state: 'open', placesLeft: 1, waiting: 0 });
		await reserve(t.db, { occurrenceId: s.occurrenceId, personId: a.id, actor: { accountId: null, personId: a.id } });
		const waits = await reserve(t.db, { occurrenceId: s.occurrenceId, personId: b.id, actor: { accountId: null, personId: b.id } });
		expect(waits).toMatchObject({ ok: true, status: 'waitlisted', position: 1 });
		[view] = await upcomingSessions(t.db, 'en', { communityId: s.communityId });
		expect(view).toMatchObject({ state: 'full', placesLeft: 0, waiting: 1 });

		expect(await cancelSession(t.db, limitedTo((await createCommunity(t.db)).id), s.occurrenceId)).toEqual({
			ok: false,
			reason: 'out-of-scope'
		});
		expect(await cancelSession(t.db, limitedTo(s.communityId), s.occurrenceId)).toEqual({ ok: true, people: 2 });
		const notices = await t.db
			.selectFrom('notification')
			.select('person_id')
			.where('kind', '=', 'booking_session_cancelled')
			.where('person_id', 'in', [a.id, b.id])
			.execute();
		expect(notices.map((n) => n.person_id).sort()).toEqual([a.id, b.id].sort());
		expect(await upcomingSessions(t.db, 'en', { communityId: s.communityId })).toEqual([]);
	});

	it('change venue, trainer and places before the start: never below the places held, more places offered to the waitlist', async () => {
		const s = await newSession(t.db, { capacity: 1 });
		const people = [await createPerson(t.db), await createPerson(t.db), await createPerson(t.db)];
		for (const p of people)
			await reserve(t.db, { occurrenceId: s.occurrenceId, personId: p.id, actor: { accountId: null, personId: p.id } });
		const change = { venueZh: '新地点', venueEn: 'New venue', trainerAccountId: s.trainerAccountId, capacity: 2 };
		const elsewhere = await createCommunity(t.db);
		expect(await updateSession(t.db, limitedTo(elsewhere.id), s.occurrenceId, change)).toEqual({ ok: false, reason: 'out-of-scope' });
		const notTrainer = await createAccount(t.db, { roles: ['resident'] });
		expect(await updateSession(t.db, everywhere, s.occurrenceId, { ...change, trainerAccountId: notTrainer.accountId })).toEqual({
			ok: false,
			reason: 'no-trainer'
		});
		expect(await updateSession(t.db, limitedTo(s.communityId), s.occurrenceId, change)).toEqual({ ok: true, offered: 1 });
		const statuses = await t.db
			.selectFrom('reservation')
			.select(['person_id', 'status'])
			.where('occurrence_id', '=', s.occurrenceId)
			.orderBy('id')
			.execute();
		expect(statuses.map((r) => r.status)).toEqual(['reserved', 'offered', 'waitlisted']);
		expect(await updateSession(t.db, everywhere, s.occurrenceId, { ...change, capacity: 1 })).toEqual({
			ok: false,
			reason: 'below-held',
			held: 2
		});
		const [view] = await upcomingSessions(t.db, 'en', { communityId: s.communityId });
		expect(view).toMatchObject({ venue: 'New venue', capacity: 2, placesLeft: 0 });
	});

	it('take group rosters only from staff of their community', async () => {
		const s = await newSession(t.db);
		const elsewhere = await createCommunity(t.db);
		const bytes = new TextEncoder().encode('姓,名\n王,越界\n');
		expect(await importRoster(t.db, limitedTo(elsewhere.id), { occurrenceId: s.occurrenceId, bytes, consentConfirmed: false })).toEqual({
			ok: false,
			reason: 'out-of-scope'
		});
		expect(
			await importRoster(t.db, limitedTo(s.communityId), { occurrenceId: s.occurrenceId, bytes, consentConfirmed: false })
		).toMatchObject({
			ok: true,
			imported: 1
		});
	});
});

describe('the trainer', () => {
	async function startedSession() {
		resetClock();
		const clock = fixedClock(new Date(Date.now()));
		const startsAt = new Date(Date.now() + 2 * 24 * HOUR);
		const s = await newSession(t.db, { startsAt, capacity: 5 });
		const people = [await createPerson(t.db), await createPerson(t.db)];
		const bookings = [];
		for (const p of people) {
			const r = await reserve(t.db, { occurrenceId: s.occurrenceId, personId: p.id, actor: { accountId: null, personId: p.id } });
			if (!r.ok) throw new Error('setup');
			bookings.push(r.reservationId);
		}
		clock.set(new Date(startsAt.getTime() + 30 * 60_000));
		setClock(clock);
		return { ...s, bookings, clock, startsAt };
	}

	it('takes attendance and records each skill passed or failed, on their own session only', async () => {
		const s = await startedSession();
		const other = await createAccount(t.db, { roles: ['trainer'] });
		expect(await ownSession(t.db, other.accountId, s.occurrenceId)).toBeNull();
		expect(await recordAttendance(t.db, other.accountId, s.occurrenceId, [s.bookings[0]!])).toEqual({ ok: false, reason: 'not-found' });

		expect(await recordAttendance(t.db, s.trainerAccountId, s.occurrenceId, [s.bookings[0]!])).toEqual({ ok: true, changed: 1 });
		const session = (await ownSession(t.db, s.trainerAccountId, s.occurrenceId))!;
		const skills = await skillsOf(t.db, s.courseId);
		const results = skills.map((k, i) => ({ skillId: k.id, passed: i !== 1, note: i === 1 ? '按压深度不足' : null }));

		// Another trainer cannot assess this trainer's trainees; nobody assesses someone absent.
		const input = { occurrenceId: s.occurrenceId, reservationId: s.bookings[0]!, results };
		expect(await recordAssessment(t.db, other.accountId, input)).toEqual({ ok: false, reason: 'not-found' });
		expect(await recordAssessment(t.db, s.trainerAccountId, { ...input, reservationId: s.bookings[1]! })).toEqual({
			ok: false,
			reason: 'not-attended'
		});
		expect(
			await recordAssessment(t.db, s.trainerAccountId, { ...input, results: [{ skillId: 999_999, passed: true, note: null }] })
		).toEqual({
			ok: false,
			reason: 'unknown-skill'
		});
		expect(await recordAssessment(t.db, s.trainerAccountId, input)).toEqual({ ok: true });
		let list = await trainees(t.db, session);
		expect(list.find((x) => x.reservationId === s.bookings[0])).toMatchObject({ status: 'attended', passedAll: false });
		expect(list.find((x) => x.reservationId === s.bookings[1])).toMatchObject({ status: 'reserved', results: [] });

		// A second pass changes the results in place: one row per enrolment and skill.
		await recordAssessment(t.db, s.trainerAccountId, {
			...input,
			results: skills.map((k) => ({ skillId: k.id, passed: true, note: null }))
		});
		list = await trainees(t.db, session);
		expect(list.find((x) => x.reservationId === s.bookings[0])).toMatchObject({ passedAll: true });
		const rows = await t.db.selectFrom('training_assessment').select('id').where('reservation_id', '=', s.bookings[0]!).execute();
		expect(rows).toHaveLength(skills.length);

		// After the end, unticked people are no-shows; every change is in the reservation's history.
		s.clock.set(new Date(s.startsAt.getTime() + 3 * HOUR));
		expect(await recordAttendance(t.db, s.trainerAccountId, s.occurrenceId, [s.bookings[0]!])).toEqual({ ok: true, changed: 1 });
		const history = await t.db
			.selectFrom('reservation_event')
			.select(['from_status', 'to_status', 'actor_account_id', 'reason'])
			.where('reservation_id', '=', s.bookings[1]!)
			.orderBy('id')
			.execute();
		expect(history.at(-1)).toEqual({
			from_status: 'reserved',
			to_status: 'no_show',
			actor_account_id: s.trainerAccountId,
			reason: 'attendance_by_trainer'
		});
		// A week after the end the sheet is closed.
		s.clock.set(new Date(s.startsAt.getTime() + 9 * 24 * HOUR));
		expect(await recordAttendance(t.db, s.trainerAccountId, s.occurrenceId, [])).toEqual({ ok: false, reason: 'closed' });
	});

	it('cannot tick someone from another session', async () => {
		const s = await startedSession();
		const elsewhere = await startedSession();
		expect(await recordAttendance(t.db, s.trainerAccountId, s.occurrenceId, [elsewhere.bookings[0]!])).toEqual({
			ok: false,
			reason: 'not-found'
		});
	});
});
