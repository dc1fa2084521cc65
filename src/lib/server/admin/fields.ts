/**
 * Form fields the admin pages need beyond the shared ones in ../forms.ts, built on them: a community
 * code, a required whole number, and calendar dates within a plausible range with one clear message.
 */
import type { FieldError } from '$lib/forms';
import { isDateString } from '../clock';
import { fields } from '../forms';
import { COMMUNITY_CODE } from './communities';

export const DATE_YEARS = { min: 1950, max: 2100 };

type Parsed<T> = { ok: true; value: T } | { ok: false; error: FieldError };

const refused = (error: FieldError): Parsed<never> => ({ ok: false, error });

export function requiredInteger(min: number, max: number, message: FieldError['key']) {
	const field = fields.optionalInteger(min, max, message);
	return {
		parse(raw: FormDataEntryValue | null): Parsed<number> {
			const result = field.parse(raw);
			if (!result.ok) return result;
			return result.value === null ? refused({ key: 'error.required' }) : { ok: true, value: result.value };
		}
	};
}

/** A community code as the database allows it; capitals typed by the admin are taken as lower case. */
export function communityCode() {
	const field = fields.text({ max: 32 });
	return {
		parse(raw: FormDataEntryValue | null): Parsed<string> {
			const result = field.parse(raw);
			if (!result.ok) return result;
			const code = result.value.toLowerCase();
			return COMMUNITY_CODE.test(code) ? { ok: true, value: code } : refused({ key: 'admin.error.code' });
		}
	};
}

/** 'YYYY-MM-DD' between DATE_YEARS, or null when left empty. */
export function optionalDate() {
	const field = fields.optionalText({ max: 10 });
	return {
		parse(raw: FormDataEntryValue | null): Parsed<string | null> {
			const result = field.parse(raw);
			if (!result.ok || result.value === null) return result;
			const year = Number(result.value.slice(0, 4));
			if (!isDateString(result.value) || year < DATE_YEARS.min || year > DATE_YEARS.max) {
				return refused({ key: 'admin.error.date', params: DATE_YEARS });
			}
			return result;
		}
	};
}

export function requiredDate() {
	const field = optionalDate();
	return {
		parse(raw: FormDataEntryValue | null): Parsed<string> {
			const result = field.parse(raw);
			if (!result.ok) return result;
			return result.value === null ? refused({ key: 'error.required' }) : { ok: true, value: result.value };
		}
	};
}
