/** The staff forms of the fitness module. */
import { fields } from '../forms';

export const spaceFields = {
	communityId: fields.id('error.community'),
	nameZh: fields.text({ max: 60 }),
	nameEn: fields.text({ max: 80 }),
	addressZh: fields.text({ max: 120 }),
	addressEn: fields.text({ max: 160 }),
	directionsZh: fields.optionalText({ max: 300, multiline: true }),
	directionsEn: fields.optionalText({ max: 400, multiline: true }),
	contact: fields.optionalText({ max: 60 }),
	stepFree: fields.checkbox(),
	capacity: fields.integer(1, 1000),
	facilitiesZh: fields.optionalText({ max: 300 }),
	facilitiesEn: fields.optionalText({ max: 400 })
};

export const seriesFields = {
	kind: fields.choice(['group', 'open'] as const),
	titleZh: fields.text({ max: 60 }),
	titleEn: fields.text({ max: 80 }),
	instructor: fields.optionalText({ max: 40 }),
	capacity: fields.integer(1, 1000),
	weekday: fields.choice(['1', '2', '3', '4', '5', '6', '7'] as const),
	startTime: fields.time(),
	endTime: fields.time(),
	validFrom: fields.date(),
	validTo: fields.date()
};

export const closureFields = {
	fromDate: fields.date(),
	fromTime: fields.time(),
	toDate: fields.date(),
	toTime: fields.time(),
	reasonZh: fields.text({ max: 100 }),
	reasonEn: fields.text({ max: 140 })
};

export const seriesChangeFields = {
	titleZh: fields.text({ max: 60 }),
	titleEn: fields.text({ max: 80 }),
	instructor: fields.optionalText({ max: 40 }),
	capacity: fields.integer(1, 1000),
	startTime: fields.time(),
	endTime: fields.time()
};

export const sessionFields = {
	date: fields.date(),
	startTime: fields.time(),
	endTime: fields.time(),
	capacity: fields.integer(1, 1000)
};

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Opening hours: one opening and closing time per weekday; a day left empty is closed. */
export const openingHoursFields = Object.fromEntries(
	WEEKDAYS.flatMap((d) => [
		[`opens${d}`, fields.optionalTime()],
		[`closes${d}`, fields.optionalTime()]
	])
) as Record<`opens${(typeof WEEKDAYS)[number]}` | `closes${(typeof WEEKDAYS)[number]}`, ReturnType<typeof fields.optionalTime>>;
