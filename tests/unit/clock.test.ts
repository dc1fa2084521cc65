import { describe, expect, it } from 'vitest';
import {
	addDays,
	endOfMonthAfter,
	fixedClock,
	isDateString,
	isoWeekday,
	now,
	resetClock,
	setClock,
	shanghaiDate,
	shanghaiInstant,
	shanghaiTime,
	startOfWeek,
	today
} from '../../src/lib/server/clock';

describe('the Asia/Shanghai calendar', () => {
	it('puts 23:30 UTC on the next Shanghai day', () => {
		const instant = new Date('2026-03-31T23:30:00Z');
		expect(shanghaiDate(instant)).toBe('2026-04-01');
		expect(shanghaiTime(instant)).toBe('07:30');
	});

	it('puts 15:59 UTC on the same Shanghai day and 16:00 UTC on the next', () => {
		expect(shanghaiDate(new Date('2026-06-15T15:59:00Z'))).toBe('2026-06-15');
		expect(shanghaiDate(new Date('2026-06-15T16:00:00Z'))).toBe('2026-06-16');
	});

	it('turns a Shanghai wall-clock time into the instant eight hours earlier in UTC', () => {
		expect(shanghaiInstant('2026-01-01', '08:00').toISOString()).toBe('2026-01-01T00:00:00.000Z');
		expect(shanghaiInstant('2026-01-01').toISOString()).toBe('2025-12-31T16:00:00.000Z');
	});

	it('refuses impossible dates and times', () => {
		expect(isDateString('2026-02-29')).toBe(false);
		expect(isDateString('2028-02-29')).toBe(true);
		expect(() => shanghaiInstant('2026-13-01')).toThrow(RangeError);
		expect(() => shanghaiInstant('2026-01-01', '24:00')).toThrow(RangeError);
	});

	it('adds days across month and year ends', () => {
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
	});

	it('knows weekdays and the Monday of a week', () => {
		expect(isoWeekday('2026-11-26')).toBe(4); // a Thursday
		expect(isoWeekday('2026-11-29')).toBe(7);
		expect(startOfWeek('2026-11-29')).toBe('2026-11-23');
		expect(startOfWeek('2026-11-23')).toBe('2026-11-23');
	});

	it('ends a validity on the last day of the month N months on', () => {
		expect(endOfMonthAfter('2026-01-31', 1)).toBe('2026-02-28');
		expect(endOfMonthAfter('2028-01-31', 1)).toBe('2028-02-29');
		expect(endOfMonthAfter('2026-01-31', 24)).toBe('2028-01-31');
		expect(endOfMonthAfter('2026-11-15', 2)).toBe('2027-01-31');
	});
});

describe('the injectable clock', () => {
	it('gives every caller the time the test set, and moves only when told', () => {
		const clock = fixedClock('2026-05-01T15:30:00Z');
		setClock(clock);
		try {
			expect(now().toISOString()).toBe('2026-05-01T15:30:00.000Z');
			expect(today()).toBe('2026-05-01');
			clock.advance(60 * 60 * 1000);
			expect(today()).toBe('2026-05-02');
		} finally {
			resetClock();
		}
		expect(Math.abs(now().getTime() - Date.now())).toBeLessThan(1000);
	});
});
