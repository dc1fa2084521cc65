/** The forms of the doctor module: one schema each, with the field messages in both languages. */
import { CALENDAR_YEARS } from '../clock';
import { fields } from '../forms';
import { SERVICES } from './model';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** A slot's start as the pages send it (an ISO instant); anything else is "not a valid time". */
export function parseInstant(raw: string | null): Date | null {
	if (!raw || !ISO_INSTANT.test(raw)) return null;
	const d = new Date(raw);
	// No rolled-over day (02-30 is no 03-02), and no year the Shanghai calendar helpers cannot count in.
	if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 19) !== raw.slice(0, 19)) return null;
	const year = d.getUTCFullYear();
	return year >= CALENDAR_YEARS.min && year <= CALENDAR_YEARS.max ? d : null;
}

const instant = () => ({
	parse(raw: FormDataEntryValue | null) {
		const d = typeof raw === 'string' ? parseInstant(raw) : null;
		return d ? { ok: true as const, value: d } : { ok: false as const, error: { key: 'doctors.badTime' as const } };
	}
});

export const bookFields = {
	start: instant(),
	service: fields.choice(SERVICES),
	reason: fields.optionalText({ max: 200, multiline: true })
};

export const moveFields = { start: instant() };

/** The doctor moves an appointment: a free slot and a word to the resident. */
export const doctorMoveFields = { start: instant(), message: fields.text({ max: 200 }) };

export const studioFields = {
	communityId: fields.id('error.community'),
	nameZh: fields.text({ max: 60 }),
	nameEn: fields.text({ max: 80 }),
	addressZh: fields.text({ max: 120 }),
	addressEn: fields.text({ max: 160 }),
	directionsZh: fields.optionalText({ max: 300, multiline: true }),
	directionsEn: fields.optionalText({ max: 400, multiline: true }),
	phone: fields.optionalText({ max: 30 }),
	stepFree: fields.checkbox()
};

export const linkFields = {
	phone: fields.text({ max: 30 }),
	titleZh: fields.text({ max: 40 }),
	titleEn: fields.text({ max: 60 })
};

export const ruleFields = {
	weekday: fields.choice(['1', '2', '3', '4', '5', '6', '7'] as const),
	startTime: fields.time(),
	endTime: fields.time(),
	slotMinutes: fields.integer(5, 240),
	validFrom: fields.date(),
	validTo: fields.date()
};

/** A time of day or nothing (leave for the whole day). */
const optionalTime = () => {
	const time = fields.time();
	return {
		parse: (raw: FormDataEntryValue | null) => (raw === null || raw === '' ? { ok: true as const, value: null } : time.parse(raw))
	};
};

export const exceptionFields = {
	day: fields.date(),
	kind: fields.choice(['leave', 'extra'] as const),
	startTime: optionalTime(),
	endTime: optionalTime(),
	slotMinutes: fields.optionalInteger(5, 240, 'error.numberRange'),
	note: fields.optionalText({ max: 200 })
};

export const cancelDayFields = { day: fields.date(), message: fields.text({ max: 200 }) };
