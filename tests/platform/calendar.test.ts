import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarItems, createFeed, feedOwner, hasFeed, registerCalendarSource, revokeFeed } from '../../src/lib/server/calendar/feed';
import { fold, renderCalendar, type CalendarItem } from '../../src/lib/server/calendar/ical';
import { shanghaiInstant } from '../../src/lib/server/clock';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createPerson } from '../helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());

const items: CalendarItem[] = [
	{
		uid: 'test-1',
		title: '家庭医生门诊；慢病随访, 第一次',
		start: shanghaiInstant('2026-12-03', '09:00'),
		end: shanghaiInstant('2026-12-03', '09:15'),
		location: '东门社区健康服务中心 2 楼',
		description: '请带上医保卡\n以及既往病历',
		cancelled: false,
		updatedAt: new Date('2026-11-26T01:00:00Z')
	},
	{
		uid: 'test-2',
		title: 'CPR + AED training',
		start: shanghaiInstant('2026-12-05', '14:00'),
		end: shanghaiInstant('2026-12-05', '17:00'),
		cancelled: true,
		updatedAt: new Date('2026-11-27T01:00:00Z')
	}
];

describe('the iCalendar feed', () => {
	const text = renderCalendar('健康东门', items);

	it('parses with ical.js and carries a VTIMEZONE for Asia/Shanghai', () => {
		const calendar = new ICAL.Component(ICAL.parse(text));
		const zone = calendar.getFirstSubcomponent('vtimezone');
		expect(zone?.getFirstPropertyValue('tzid')).toBe('Asia/Shanghai');
		expect(calendar.getAllSubcomponents('vevent')).toHaveLength(2);
	});

	it('has UID, DTSTAMP and TZID times on every event, and the cancelled one says so', () => {
		const calendar = new ICAL.Component(ICAL.parse(text));
		const events = calendar.getAllSubcomponents('vevent');
		for (const event of events) {
			expect(event.getFirstPropertyValue('uid')).toMatch(/^test-\d@healthy-dongmen$/);
			expect(event.getFirstPropertyValue('dtstamp')).toBeTruthy();
			expect(event.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Asia/Shanghai');
			expect(event.getFirstProperty('dtend')?.getParameter('tzid')).toBe('Asia/Shanghai');
		}
		expect(events.map((e) => e.getFirstPropertyValue('status'))).toEqual(['CONFIRMED', 'CANCELLED']);
		const first = new ICAL.Event(events[0]);
		expect(first.summary).toBe('家庭医生门诊；慢病随访, 第一次');
		expect(first.description).toBe('请带上医保卡\n以及既往病历');
		expect(first.startDate.toString()).toBe('2026-12-03T09:00:00');
	});

	it('uses CRLF and folds long lines at 75 octets without breaking a character', () => {
		expect(text.includes('\r\n')).toBe(true);
		for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
		const long = 'DESCRIPTION:' + '急救培训'.repeat(30);
		const folded = fold(long);
		expect(folded.split('\r\n ').join('')).toBe(long);
	});
});

describe('calendar feed secrets', () => {
	it('find their person until revoked, and a new one replaces the old', async () => {
		const person = await createPerson(t.db);
		expect(await hasFeed(t.db, person.id)).toBe(false);
		const first = await createFeed(t.db, person.id);
		expect(first).toMatch(/^[a-z2-7]{32}$/);
		expect(await feedOwner(t.db, first)).toEqual({ personId: person.id, locale: 'zh-CN' });
		const second = await createFeed(t.db, person.id);
		expect(await feedOwner(t.db, first)).toBeNull();
		expect(await feedOwner(t.db, second)).toMatchObject({ personId: person.id });
		await revokeFeed(t.db, person.id);
		expect(await feedOwner(t.db, second)).toBeNull();
		expect(await hasFeed(t.db, person.id)).toBe(false);
	});

	it('are stored only as hashes', async () => {
		const person = await createPerson(t.db);
		const secret = await createFeed(t.db, person.id);
		const row = await t.db.selectFrom('calendar_feed').select('secret_hash').where('person_id', '=', person.id).executeTakeFirstOrThrow();
		expect(Buffer.from(row.secret_hash).toString('utf8')).not.toContain(secret);
	});

	it('give each person only their own items from the modules', async () => {
		const a = await createPerson(t.db);
		const b = await createPerson(t.db);
		registerCalendarSource('test', async (_db, personId) => (personId === a.id ? items : []));
		expect((await calendarItems(t.db, a.id, 'zh-CN')).map((i) => i.uid)).toEqual(['test-1', 'test-2']);
		expect(await calendarItems(t.db, b.id, 'zh-CN')).toEqual([]);
	});
});
