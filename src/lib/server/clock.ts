/**
 * The one clock of the server. Services ask `now()`; tests replace the clock with `setClock`.
 *
 * The portal lives in Asia/Shanghai (UTC+8, no daylight saving since 1991) while the machines run
 * in UTC, so every calendar computation goes through the helpers below with the offset explicit.
 * Calendar dates are plain 'YYYY-MM-DD' strings, never Date objects at midnight UTC.
 */

export interface Clock {
	now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let current: Clock = systemClock;

export function now(): Date {
	return current.now();
}

export function setClock(clock: Clock): void {
	current = clock;
}

export function resetClock(): void {
	current = systemClock;
}

/** A clock that stands still at `at` until moved; for tests. */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
	let t = new Date(at).getTime();
	return {
		now: () => new Date(t),
		set: (next) => {
			t = new Date(next).getTime();
		},
		advance: (ms) => {
			t += ms;
		}
	};
}

export const TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

/** The Shanghai calendar date of an instant, as 'YYYY-MM-DD'. */
export function shanghaiDate(instant: Date): string {
	return formatUtcDate(new Date(instant.getTime() + OFFSET_MS));
}

/** The Shanghai wall-clock time of an instant, as 'HH:mm'. */
export function shanghaiTime(instant: Date): string {
	const d = new Date(instant.getTime() + OFFSET_MS);
	return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function isDateString(value: string): boolean {
	const m = DATE_RE.exec(value);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The years the portal's calendars are shown for: a date outside them is no day anyone books or looks at. */
export const CALENDAR_YEARS = { min: 2000, max: 2100 };

/** A calendar date (`isDateString`) within CALENDAR_YEARS: what a `?day=` or `?week=` in an address may ask for. */
export function isCalendarDate(value: string): boolean {
	const year = Number(value.slice(0, 4));
	return isDateString(value) && year >= CALENDAR_YEARS.min && year <= CALENDAR_YEARS.max;
}

function parseDate(date: string): [number, number, number] {
	const m = DATE_RE.exec(date);
	if (!m || !isDateString(date)) throw new RangeError(`not a calendar date: ${date}`);
	return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** The instant at which the Shanghai wall clock shows `date` `time` ('HH:mm', default midnight). */
export function shanghaiInstant(date: string, time = '00:00'): Date {
	const [y, mo, d] = parseDate(date);
	const m = TIME_RE.exec(time);
	if (!m) throw new RangeError(`not a time of day: ${time}`);
	return new Date(Date.UTC(y, mo - 1, d, Number(m[1]), Number(m[2])) - OFFSET_MS);
}

function formatUtcDate(d: Date): string {
	return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function addDays(date: string, days: number): string {
	const [y, mo, d] = parseDate(date);
	return formatUtcDate(new Date(Date.UTC(y, mo - 1, d) + days * DAY_MS));
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
	const [y, mo, d] = parseDate(date);
	const day = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
	return day === 0 ? 7 : day;
}

/** The Monday of the week that holds `date`. */
export function startOfWeek(date: string): string {
	return addDays(date, 1 - isoWeekday(date));
}

/** The last day of the month that lies `months` calendar months after the month of `date`. */
export function endOfMonthAfter(date: string, months: number): string {
	const [y, mo] = parseDate(date);
	// Day 0 of the following month is the last day of the target month.
	return formatUtcDate(new Date(Date.UTC(y, mo - 1 + months + 1, 0)));
}

/** Today's date in Shanghai by the server clock. */
export function today(): string {
	return shanghaiDate(now());
}
