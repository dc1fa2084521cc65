/** What a resident can book: the doctor's slots with their state, and the nearest free ones. */
import type { Kysely } from 'kysely';
import { programmeRules } from '../booking/reservations';
import { addDays, now, shanghaiDate, shanghaiInstant } from '../clock';
import type { Database } from '../db/schema';
import { derivedSlots, overlaps, takenTimes, type Slot } from './availability';

const MINUTE = 60_000;

export type SlotState = 'free' | 'taken' | 'closed';
export type SlotView = { start: Date; end: Date; state: SlotState };

/** Slots from `fromDay` to `toDay`: free, taken, or closed (past, too soon, beyond the horizon). */
export async function slotStates(db: Kysely<Database>, doctorId: number, fromDay: string, toDay: string): Promise<SlotView[]> {
	const [slots, taken, rules] = await Promise.all([
		derivedSlots(db, doctorId, fromDay, toDay),
		takenTimes(db, doctorId, shanghaiInstant(fromDay), shanghaiInstant(addDays(toDay, 1))),
		programmeRules(db, 'doctor')
	]);
	const at = now().getTime();
	const opens = at + rules.minNoticeMinutes * MINUTE;
	const closes = at + rules.horizonDays * 24 * 60 * MINUTE;
	return slots.map((s) => {
		const start = s.start.getTime();
		const state: SlotState = taken.some((t) => overlaps(s, t)) ? 'taken' : start < opens || start > closes ? 'closed' : 'free';
		return { ...s, state };
	});
}

/** Every slot from today to the horizon, and each day with its number of free slots. */
export async function fortnight(
	db: Kysely<Database>,
	doctorId: number
): Promise<{ days: { day: string; free: number }[]; slots: SlotView[] }> {
	const rules = await programmeRules(db, 'doctor');
	const first = shanghaiDate(now());
	const last = addDays(first, rules.horizonDays);
	const slots = await slotStates(db, doctorId, first, last);
	const days: { day: string; free: number }[] = [];
	for (let day = first; day <= last; day = addDays(day, 1)) {
		days.push({ day, free: slots.filter((s) => s.state === 'free' && shanghaiDate(s.start) === day).length });
	}
	return { days, slots };
}

/** The days a resident can book now (today to the horizon), each with its number of free slots. */
export async function bookableDays(db: Kysely<Database>, doctorId: number): Promise<{ day: string; free: number }[]> {
	return (await fortnight(db, doctorId)).days;
}

/** Up to `count` free slots nearest in time to `near`, in time order: what to offer when a slot was just taken. */
export async function nearestFree(db: Kysely<Database>, doctorId: number, near: Date, count = 4): Promise<Slot[]> {
	const rules = await programmeRules(db, 'doctor');
	const first = shanghaiDate(now());
	const slots = await slotStates(db, doctorId, first, addDays(first, rules.horizonDays));
	return slots
		.filter((s) => s.state === 'free')
		.sort((a, b) => Math.abs(a.start.getTime() - near.getTime()) - Math.abs(b.start.getTime() - near.getTime()))
		.slice(0, count)
		.sort((a, b) => a.start.getTime() - b.start.getTime())
		.map(({ start, end }) => ({ start, end }));
}
