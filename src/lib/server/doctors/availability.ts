/**
 * When a doctor can be booked. Slots are never stored: they are cut, in Asia/Shanghai wall-clock
 * time, from the weekly rules valid on a day plus that day's make-up hours ('extra'), minus leave.
 * Only a booked slot becomes an occurrence (see appointments.ts).
 */
import { sql, type Kysely } from 'kysely';
import { addDays, isoWeekday, shanghaiDate, shanghaiInstant } from '../clock';
import type { Database } from '../db/schema';

const MINUTE = 60_000;

export type Slot = { start: Date; end: Date };
type Hours = { start: string; end: string; slotMinutes: number };

const hhmm = (time: string) => time.slice(0, 5);

function cut(day: string, hours: Hours): Slot[] {
	const out: Slot[] = [];
	const step = hours.slotMinutes * MINUTE;
	const end = shanghaiInstant(day, hours.end).getTime();
	for (let s = shanghaiInstant(day, hours.start).getTime(); s + step <= end; s += step) {
		out.push({ start: new Date(s), end: new Date(s + step) });
	}
	return out;
}

/** Every slot the doctor offers from `fromDay` to `toDay` (inclusive), booked or not, in time order. */
export async function derivedSlots(db: Kysely<Database>, doctorId: number, fromDay: string, toDay: string): Promise<Slot[]> {
	const [rules, exceptions] = await Promise.all([
		db
			.selectFrom('doctor_availability')
			.select(['weekday', 'start_time', 'end_time', 'slot_minutes', 'valid_from', 'valid_to'])
			.where('doctor_id', '=', doctorId)
			.where('valid_from', '<=', toDay)
			.where('valid_to', '>=', fromDay)
			.execute(),
		db
			.selectFrom('doctor_exception')
			.select(['day', 'kind', 'start_time', 'end_time', 'slot_minutes'])
			.where('doctor_id', '=', doctorId)
			.where('day', '>=', fromDay)
			.where('day', '<=', toDay)
			.execute()
	]);
	const slots: Slot[] = [];
	for (let day = fromDay; day <= toDay; day = addDays(day, 1)) {
		const today = exceptions.filter((e) => e.day === day);
		const leave = today.filter((e) => e.kind === 'leave');
		if (leave.some((e) => e.start_time === null)) continue;
		const hours: Hours[] = [
			...rules
				.filter((r) => r.weekday === isoWeekday(day) && r.valid_from <= day && r.valid_to >= day)
				.map((r) => ({ start: hhmm(r.start_time), end: hhmm(r.end_time), slotMinutes: r.slot_minutes })),
			...today
				.filter((e) => e.kind === 'extra')
				.map((e) => ({ start: hhmm(e.start_time!), end: hhmm(e.end_time!), slotMinutes: e.slot_minutes! }))
		];
		const removed = leave.map((e) => ({
			start: shanghaiInstant(day, hhmm(e.start_time!)).getTime(),
			end: shanghaiInstant(day, hhmm(e.end_time!)).getTime()
		}));
		const candidates = hours
			.flatMap((h) => cut(day, h))
			.filter((s) => !removed.some((r) => s.start.getTime() < r.end && r.start < s.end.getTime()))
			.sort((a, b) => a.start.getTime() - b.start.getTime());
		// Overlapping rules must not offer overlapping slots: the earlier slot wins.
		let until = 0;
		for (const s of candidates) {
			if (s.start.getTime() < until) continue;
			slots.push(s);
			until = s.end.getTime();
		}
	}
	return slots;
}

/** The doctor's slot that starts exactly at `start`, if they work then. */
export async function slotAt(db: Kysely<Database>, doctorId: number, start: Date): Promise<Slot | null> {
	const day = shanghaiDate(start);
	const slots = await derivedSlots(db, doctorId, day, day);
	return slots.find((s) => s.start.getTime() === start.getTime()) ?? null;
}

/** The times held by the doctor's active appointments in a window. */
export async function takenTimes(db: Kysely<Database>, doctorId: number, from: Date, to: Date): Promise<Slot[]> {
	const rows = await db
		.selectFrom('appointment')
		.select([sql<Date>`lower(during)`.as('start'), sql<Date>`upper(during)`.as('end')])
		.where('doctor_id', '=', doctorId)
		.where('active', '=', true)
		.where(sql<boolean>`during && tstzrange(${from}, ${to}, '[)')`)
		.execute();
	return rows.map((r) => ({ start: new Date(r.start), end: new Date(r.end) }));
}

export const overlaps = (a: Slot, b: Slot) => a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
