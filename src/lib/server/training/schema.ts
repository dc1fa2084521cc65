/** The staff and trainer forms of the training module. */
import type { FieldError } from '$lib/forms';
import { fields } from '../forms';
import type { SkillInput } from './courses';

type Result<T> = { ok: true; value: T } | { ok: false; error: FieldError };

/** The skills of a course, one per line as "中文 | English"; between 1 and 20 of them. */
function skillLines() {
	const text = fields.text({ max: 3000, multiline: true });
	return {
		parse(raw: FormDataEntryValue | null): Result<SkillInput[]> {
			const read = text.parse(raw);
			if (!read.ok) return read;
			const lines = read.value
				.split(/\r\n|\r|\n/)
				.map((l) => l.trim())
				.filter((l) => l !== '');
			const skills: SkillInput[] = [];
			for (const [i, line] of lines.entries()) {
				const [zh = '', en = '', ...rest] = line.split('|').map((p) => p.trim());
				if (!zh || !en || rest.length > 0 || [...zh].length > 60 || [...en].length > 100) {
					return { ok: false, error: { key: 'training.error.skillLine', params: { n: i + 1 } } };
				}
				skills.push({ nameZh: zh, nameEn: en });
			}
			if (skills.length > 20) return { ok: false, error: { key: 'training.error.skillCount' } };
			return { ok: true, value: skills };
		}
	};
}

function courseCode() {
	const text = fields.text({ max: 20 });
	return {
		parse(raw: FormDataEntryValue | null): Result<string> {
			const read = text.parse(raw);
			if (!read.ok) return read;
			const code = read.value.toUpperCase();
			return /^[A-Z0-9][A-Z0-9-]{0,19}$/.test(code) ? { ok: true, value: code } : { ok: false, error: { key: 'training.error.code' } };
		}
	};
}

export const courseFields = {
	code: courseCode(),
	titleZh: fields.text({ max: 60 }),
	titleEn: fields.text({ max: 80 }),
	descriptionZh: fields.text({ max: 1000, multiline: true }),
	descriptionEn: fields.text({ max: 1500, multiline: true }),
	durationMinutes: fields.integer(15, 720),
	validityMonths: fields.integer(1, 120),
	countsTowardCoverage: fields.checkbox(),
	skills: skillLines()
};

export const sessionFields = {
	courseId: fields.id(),
	communityId: fields.id('error.community'),
	date: fields.date(),
	startTime: fields.time(),
	venueZh: fields.text({ max: 120 }),
	venueEn: fields.text({ max: 160 }),
	trainerAccountId: fields.id(),
	capacity: fields.integer(1, 500)
};

export const sessionChangeFields = {
	venueZh: fields.text({ max: 120 }),
	venueEn: fields.text({ max: 160 }),
	trainerAccountId: fields.id(),
	capacity: fields.integer(1, 500)
};
