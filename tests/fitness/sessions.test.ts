import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '../../src/lib/server/booking/reservations';
import { fixedClock, resetClock, setClock, shanghaiDate, shanghaiInstant, shanghaiTime } from '../../src/lib/server/clock';
import {
	closeSpace,
	cancelSession,
	createSeries,
	editSeries,
	editSession,
	timetable,
	type SeriesInput
} from '../../src/lib/server/fitness/sessions';
import { createSpace, openingHours, setOpeningHours, type SpaceInput } from '../../src/lib/server/fitness/spaces';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createCommunity, createPerson } from '../helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const everywhere = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };
const space = (communityId: number): SpaceInput => ({
	communityId,
	nameZh: '测试广场',
	nameEn: 'Test square',
	addressZh: '测试路 1 号',
	addressEn: '1 Test Road',
	directionsZh: null,
	directionsEn: null,
	contact: null,
	stepFree: true,
	capacity: 30,
	facilitiesZh: null,
	facilitiesEn: null
});
const series = (spaceId: number, overrides: Partial<SeriesInput> = {}): SeriesInput => ({
	spaceId,
	kind: 'group',
	titleZh: '太极拳',
	titleEn: 'Tai chi',
	instructor: '周师傅',
	capacity: 2,
	weekday: 3,
	startTime: '08:00',
	endTime: '09:00',
	validFrom: '2026-12-01',
	validTo: '2026-12-31',
	...overrides
});

async function newSpace() {
	const c = await createCommunity(t.db);
	const s = await createSpace(t.db, everywhere, space(c.id));
	if (!s.ok) throw new Error('setup');
	return { communityId: c.id, spaceId: s.spaceId };
}

describe('weekly series', () => {
	it('make one session a week on the right weekday and Shanghai time, within the dates', async () => {
		const { spaceId } = await newSpace();
		const made = await createSeries(t.db, everywhere, series(spaceId));
		expect(made).toMatchObject({ ok: true, sessions: 5 }); // Wednesdays 2, 9, 16, 23, 30 December
		const rows = await t.db
			.selectFrom('fitness_session')
			.innerJoin('occurrence', 'occurrence.id', 'fitness_session.occurrence_id')
			.select(['occurrence.starts_at', 'occurrence.ends_at', 'occurrence.capacity', 'occurrence.programme'])
			.where('fitness_session.space_id', '=', spaceId)
			.orderBy('occurrence.starts_at')
			.execute();
		expect(rows.map((r) => shanghaiDate(r.starts_at))).toEqual(['2026-12-02', '2026-12-09', '2026-12-16', '2026-12-23', '2026-12-30']);
		expect(rows.every((r) => shanghaiTime(r.starts_at) === '08:00' && shanghaiTime(r.ends_at) === '09:00')).toBe(true);
		expect(rows[0]!.starts_at.toISOString()).toBe('2026-12-02T00:00:00.000Z');
		expect(rows.every((r) => r.capacity === 2 && r.programme === 'fitness')).toBe(true);
	});

	it('cannot be made for a space of another community by staff limited to one', async () => {
		const { spaceId } = await newSpace();
		const other = await createCommunity(t.db);
		const limited = { accountId: null, roles: [{ role: 'staff' as const, communityId: other.id }] };
		expect(await createSeries(t.db, limited, series(spaceId))).toEqual({ ok: false, reason: 'out-of-scope' });
		expect(await createSpace(t.db, limited, space((await createCommunity(t.db)).id))).toEqual({ ok: false, reason: 'out-of-scope' });
	});
});

describe('calling sessions off', () => {
	it('a cancelled session tells each person booked exactly once', async () => {
		setClock(fixedClock(shanghaiInstant('2026-12-01', '09:00')));
		const { spaceId } = await newSpace();
		await createSeries(t.db, everywhere, series(spaceId, { capacity: 1 }));
		const first = await t.db
			.selectFrom('fitness_session')
			.select('occurrence_id')
			.where('space_id', '=', spaceId)
			.orderBy('occurrence_id')
			.executeTakeFirstOrThrow();
		const [a, b] = [await createPerson(t.db), await createPerson(t.db)];
		await reserve(t.db, { occurrenceId: first.occurrence_id, personId: a.id, actor: { accountId: null, personId: a.id } });
		await reserve(t.db, { occurrenceId: first.occurrence_id, personId: b.id, actor: { accountId: null, personId: b.id } }); // waitlisted
		expect(await cancelSession(t.db, everywhere, first.occurrence_id)).toEqual({ ok: true, people: 2 });
		expect(await cancelSession(t.db, everywhere, first.occurrence_id)).toEqual({ ok: true, people: 0 });
		for (const p of [a, b]) {
			const notices = await t.db
				.selectFrom('notification')
				.select('kind')
				.where('person_id', '=', p.id)
				.where('kind', '=', 'booking_session_cancelled')
				.execute();
			expect(notices).toHaveLength(1);
		}
		const statuses = await t.db.selectFrom('reservation').select('status').where('occurrence_id', '=', first.occurrence_id).execute();
		expect(statuses.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
	});

	it('a closure cancels every session it hits and tells each person once, however many sessions they had', async () => {
		setClock(fixedClock(shanghaiInstant('2026-12-01', '09:00')));
		const { spaceId } = await newSpace();
		await createSeries(t.db, everywhere, series(spaceId, { capacity: 5 }));
		const sessions = await t.db
			.selectFrom('fitness_session')
			.select('occurrence_id')
			.where('space_id', '=', spaceId)
			.orderBy('occurrence_id')
			.execute();
		const regular = await createPerson(t.db);
		const once = await createPerson(t.db);
		for (const s of sessions.slice(0, 2))
			await reserve(t.db, { occurrenceId: s.occurrence_id, personId: regular.id, actor: { accountId: null, personId: regular.id } });
		await reserve(t.db, { occurrenceId: sessions[0]!.occurrence_id, personId: once.id, actor: { accountId: null, personId: once.id } });
		const closed = await closeSpace(t.db, everywhere, {
			spaceId,
			startsAt: shanghaiInstant('2026-12-01'),
			endsAt: shanghaiInstant('2026-12-10'),
			reasonZh: '地面维修',
			reasonEn: 'floor repairs'
		});
		expect(closed).toEqual({ ok: true, sessions: 2, people: 2 });
		for (const p of [regular, once]) {
			const kinds = await t.db
				.selectFrom('notification')
				.select('kind')
				.where('person_id', '=', p.id)
				.where('kind', 'like', '%cancel%')
				.execute();
			expect(kinds).toEqual([]);
			const closure = await t.db
				.selectFrom('notification')
				.select(['kind', 'params'])
				.where('person_id', '=', p.id)
				.where('kind', '=', 'fitness_closure')
				.execute();
			expect(closure).toHaveLength(1);
			expect(closure[0]!.params).toMatchObject({ reason_zh: '地面维修', reason_en: 'floor repairs' });
		}
		const later = await t.db
			.selectFrom('occurrence')
			.select('cancelled_at')
			.where('id', '=', sessions[2]!.occurrence_id)
			.executeTakeFirstOrThrow();
		expect(later.cancelled_at).toBeNull();
	});
});

describe('the public timetable', () => {
	it('shows a week of sessions with the places left, filtered by community, and never who booked', async () => {
		setClock(fixedClock(shanghaiInstant('2026-12-01', '09:00')));
		const { communityId, spaceId } = await newSpace();
		await createSeries(t.db, everywhere, series(spaceId, { capacity: 3 }));
		const week = await timetable(t.db, 'zh-CN', { weekStart: '2026-12-07', communityId });
		expect(week).toHaveLength(1);
		const person = await createPerson(t.db, { familyName: '欧阳', givenName: '不公开' });
		await reserve(t.db, { occurrenceId: week[0]!.occurrenceId, personId: person.id, actor: { accountId: null, personId: person.id } });
		const after = await timetable(t.db, 'en', { weekStart: '2026-12-07', communityId });
		expect(after[0]).toMatchObject({ title: 'Tai chi', space: 'Test square', placesLeft: 2, cancelled: false, kind: 'group' });
		expect(JSON.stringify(after)).not.toContain('不公开');
		const elsewhere = await timetable(t.db, 'zh-CN', { weekStart: '2026-12-07', communityId: (await createCommunity(t.db)).id });
		expect(elsewhere).toEqual([]);
	});
});

describe('changing one session', () => {
	async function sessionsOf(spaceId: number) {
		return t.db
			.selectFrom('fitness_session')
			.innerJoin('occurrence', 'occurrence.id', 'fitness_session.occurrence_id')
			.select(['occurrence.id', 'occurrence.starts_at', 'occurrence.ends_at', 'occurrence.capacity'])
			.where('fitness_session.space_id', '=', spaceId)
			.orderBy('occurrence.starts_at')
			.execute();
	}
	const book = (occurrenceId: number, personId: number) => reserve(t.db, { occurrenceId, personId, actor: { accountId: null, personId } });
	const notices = (personId: number, kind: string) =>
		t.db.selectFrom('notification').select(['kind', 'params']).where('person_id', '=', personId).where('kind', '=', kind).execute();

	it('moves it and everyone booked or waiting with it, each told once; the rest of the series stays', async () => {
		setClock(fixedClock(shanghaiInstant('2026-12-01', '09:00')));
		const { spaceId } = await newSpace();
		await createSeries(t.db, everywhere, series(spaceId, { capacity: 1 }));
		const [first, second] = await sessionsOf(spaceId);
		const [a, b, bystander] = [await createPerson(t.db), await createPerson(t.db), await createPerson(t.db)];
		await book(first!.id, a.id);
		expect(await book(first!.id, b.id)).toMatchObject({ ok: true, status: 'waitlisted' });
		await book(second!.id, bystander.id);

		const moved = await editSession(t.db, everywhere, first!.id, { date: '2026-12-03', startTime: '18:30', endTime: '19:30', capacity: 1 });
		expect(moved).toEqual({ ok: true, moved: 2, offered: 0 });
		const [now1, now2] = await sessionsOf(spaceId);
		expect(now1!.starts_at.toISOString()).toBe('2026-12-03T10:30:00.000Z');
		expect(shanghaiTime(now1!.ends_at)).toBe('19:30');
		expect(now2!.starts_at.toISOString()).toBe(second!.starts_at.toISOString());
		const during = await t.db
			.selectFrom('reservation')
			.select(sql<string>`lower(during)`.as('from'))
			.where('occurrence_id', '=', first!.id)
			.execute();
		expect(during.map((d) => new Date(d.from).toISOString())).toEqual(['2026-12-03T10:30:00.000Z', '2026-12-03T10:30:00.000Z']);
		for (const p of [a, b]) {
			const told = await notices(p.id, 'booking_moved');
			expect(told).toHaveLength(1);
			expect(told[0]!.params).toMatchObject({ title_zh: '太极拳', when: '2026-12-02T00:00:00.000Z', to: '2026-12-03T10:30:00.000Z' });
		}
		expect(await notices(bystander.id, 'booking_moved')).toEqual([]);

		// Saving the same time again tells nobody a second time.
		expect(
			await editSession(t.db, everywhere, first!.id, { date: '2026-12-03', startTime: '18:30', endTime: '19:30', capacity: 1 })
		).toEqual({
			ok: true,
			moved: 0,
			offered: 0
		});
		expect(await notices(a.id, 'booking_moved')).toHaveLength(1);
	});

	it('never goes below the places already taken; more places go to the waiting list at once', async () => {
		setClock(fixedClock(shanghaiInstant('2026-12-01', '09:00')));
		const { spaceId } = await newSpace();
		await createSeries(t.db, everywhere, series(spaceId, { capacity: 2 }));
		const [first] = await sessionsOf(spaceId);
		const people = [await createPerson(t.db), await createPerson(t.db), await createPerson(t.db)];
		for (const p of people) await book(first!.id, p.id);
		const same = { date: '2026-12-02', startTime: '08:00', endTime: '09:00' };
		expect(await editSession(t.db, everywhere, first!.id, { ...same, capacity: 1 })).toEqual({ ok: false, reason: 'below-held', held: 2 });
		expect((await sessionsOf(spaceId))[0]!.capacity).toBe(2);
		expect(await editSession(t.db, everywhere, first!.id, { ...same, capacity: 3 })).toEqual({ ok: true, moved: 0, offered: 1 });
		const third = await t.db
			.selectFrom('reservation')
			.select('status')
			.where('occurrence_id', '=', first!.id)
			.where('person_id', '=', people[2]!.id)
			.executeTakeFirstOrThrow();
		expect(third.status).toBe('offered');
		expect(await notices(people[2]!.id, 'booking_offered')).toHaveLength(1);
	});

	it('is refused, with nothing changed, when someone booked holds another place at the new time', async () => {
		setClock(fixedClock(shanghaiInstant('2026-12-01', '09:00')));
		const { spaceId } = await newSpace();
		await createSeries(t.db, everywhere, series(spaceId, { capacity: 3 }));
		await createSeries(
			t.db,
			everywhere,
			series(spaceId, { capacity: 3, weekday: 4, startTime: '10:00', endTime: '11:00', titleZh: '八段锦', titleEn: 'Baduanjin' })
		);
		const [wednesday, thursday] = await sessionsOf(spaceId);
		const busy = await createPerson(t.db);
		await book(wednesday!.id, busy.id);
		await book(thursday!.id, busy.id);
		const clash = { date: '2026-12-03', startTime: '10:30', endTime: '11:30', capacity: 3 };
		expect(await editSession(t.db, everywhere, wednesday!.id, clash)).toEqual({ ok: false, reason: 'clashes', clashes: 1 });
		expect((await sessionsOf(spaceId))[0]!.starts_at.toISOString()).toBe('2026-12-02T00:00:00.000Z');
		expect(await notices(busy.id, 'booking_moved')).toEqual([]);
	});

	it('is refused for a session that has started, a time in the past, or a space of another community', async () => {
		setClock(fixedClock(shanghaiInstant('2026-12-02', '08:30')));
		const { spaceId } = await newSpace();
		await createSeries(t.db, everywhere, series(spaceId));
		const [started, next] = await sessionsOf(spaceId);
		expect(
			await editSession(t.db, everywhere, started!.id, { date: '2026-12-05', startTime: '08:00', endTime: '09:00', capacity: 2 })
		).toEqual({
			ok: false,
			reason: 'started'
		});
		expect(
			await editSession(t.db, everywhere, next!.id, { date: '2026-12-01', startTime: '08:00', endTime: '09:00', capacity: 2 })
		).toEqual({
			ok: false,
			reason: 'started'
		});
		const limited = { accountId: null, roles: [{ role: 'staff' as const, communityId: (await createCommunity(t.db)).id }] };
		expect(await editSession(t.db, limited, next!.id, { date: '2026-12-10', startTime: '08:00', endTime: '09:00', capacity: 2 })).toEqual({
			ok: false,
			reason: 'out-of-scope'
		});
	});
});

describe('opening hours', () => {
	it('replace the week as a whole, and only for staff of the space’s community', async () => {
		const { spaceId } = await newSpace();
		const hours = [
			{ weekday: 1, opens: '06:30', closes: '21:30' },
			{ weekday: 6, opens: '08:00', closes: '12:00' }
		];
		expect(await setOpeningHours(t.db, everywhere, spaceId, hours)).toEqual({ ok: true, spaceId });
		expect(await openingHours(t.db, spaceId)).toEqual(hours);
		expect(await setOpeningHours(t.db, everywhere, spaceId, [{ weekday: 7, opens: '09:00', closes: '17:00' }])).toEqual({
			ok: true,
			spaceId
		});
		expect(await openingHours(t.db, spaceId)).toEqual([{ weekday: 7, opens: '09:00', closes: '17:00' }]);
		const limited = { accountId: null, roles: [{ role: 'staff' as const, communityId: (await createCommunity(t.db)).id }] };
		expect(await setOpeningHours(t.db, limited, spaceId, [])).toEqual({ ok: false, reason: 'out-of-scope' });
		expect(await openingHours(t.db, spaceId)).toHaveLength(1);
	});
});

describe('changing a weekly series', () => {
	const change = {
		titleZh: '太极拳（新）',
		titleEn: 'Tai chi (new)',
		instructor: '王老师',
		capacity: 2,
		startTime: '09:30',
		endTime: '10:30'
	};
	async function sessions(spaceId: number) {
		return t.db
			.selectFrom('fitness_session')
			.innerJoin('occurrence', 'occurrence.id', 'fitness_session.occurrence_id')
			.select(['occurrence.id', 'occurrence.starts_at', 'occurrence.capacity', 'occurrence.title_zh', 'fitness_session.series_id'])
			.where('fitness_session.space_id', '=', spaceId)
			.orderBy('occurrence.starts_at')
			.execute();
	}

	it('changes every session not yet started, and tells each person booked once per session moved', async () => {
		setClock(fixedClock(shanghaiInstant('2026-12-09', '12:00'))); // 2 and 9 December are over
		const { spaceId } = await newSpace();
		const made = await createSeries(t.db, everywhere, series(spaceId));
		if (!made.ok) throw new Error('setup');
		const before = await sessions(spaceId);
		const person = await createPerson(t.db);
		for (const s of before.slice(2, 4))
			await reserve(t.db, { occurrenceId: s.id, personId: person.id, actor: { accountId: null, personId: person.id } });
		expect(await editSeries(t.db, everywhere, made.seriesId, change)).toEqual({ ok: true, sessions: 3, moved: 2 });
		const after = await sessions(spaceId);
		expect(after.map((s) => [shanghaiDate(s.starts_at), shanghaiTime(s.starts_at), s.title_zh])).toEqual([
			['2026-12-02', '08:00', '太极拳'],
			['2026-12-09', '08:00', '太极拳'],
			['2026-12-16', '09:30', '太极拳（新）'],
			['2026-12-23', '09:30', '太极拳（新）'],
			['2026-12-30', '09:30', '太极拳（新）']
		]);
		const told = await t.db
			.selectFrom('notification')
			.select('kind')
			.where('person_id', '=', person.id)
			.where('kind', '=', 'booking_moved')
			.execute();
		expect(told).toHaveLength(2);
		const row = await t.db
			.selectFrom('fitness_series')
			.select(['start_time', 'instructor'])
			.where('id', '=', made.seriesId)
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ start_time: '09:30:00', instructor: '王老师' });
	});

	it('changes nothing, and tells nobody, when one session cannot take the change', async () => {
		setClock(fixedClock(shanghaiInstant('2026-12-01', '12:00')));
		const { spaceId } = await newSpace();
		const made = await createSeries(t.db, everywhere, series(spaceId, { capacity: 3 }));
		if (!made.ok) throw new Error('setup');
		const before = await sessions(spaceId);
		const early = await createPerson(t.db);
		await reserve(t.db, { occurrenceId: before[0]!.id, personId: early.id, actor: { accountId: null, personId: early.id } });
		for (let i = 0; i < 3; i++) {
			const p = await createPerson(t.db);
			await reserve(t.db, { occurrenceId: before[1]!.id, personId: p.id, actor: { accountId: null, personId: p.id } });
		}
		expect(await editSeries(t.db, everywhere, made.seriesId, change)).toEqual({
			ok: false,
			reason: 'below-held',
			held: 3,
			date: '2026-12-09'
		});
		const after = await sessions(spaceId);
		expect(after.map((s) => [s.starts_at.toISOString(), s.capacity, s.title_zh])).toEqual(
			before.map((s) => [s.starts_at.toISOString(), s.capacity, s.title_zh])
		);
		const told = await t.db
			.selectFrom('notification')
			.select('kind')
			.where('person_id', '=', early.id)
			.where('kind', '=', 'booking_moved')
			.execute();
		expect(told).toEqual([]);
		const limited = { accountId: null, roles: [{ role: 'staff' as const, communityId: (await createCommunity(t.db)).id }] };
		expect(await editSeries(t.db, limited, made.seriesId, { ...change, capacity: 5 })).toEqual({ ok: false, reason: 'out-of-scope' });
	});
});
