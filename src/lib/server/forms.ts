/**
 * Form data becomes typed values in one place. Each form declares a schema of fields; parsing gives
 * either the typed values or, per field, a message key that the page shows next to the field in
 * the reader's language — with what the person typed, so nothing is lost.
 */
import { error, fail } from '@sveltejs/kit';
import type { FieldError, FieldErrors, FormValues, Refusal } from '$lib/forms';
import { CALENDAR_YEARS, isCalendarDate, today } from './clock';
import { parseId } from './ids';
import { normalizeEmail, normalizePhone } from './auth/identifiers';
import { INVISIBLE_FORMATTING } from './text';

type Result<T> = { ok: true; value: T } | { ok: false; error: FieldError };
type Field<T> = { parse(raw: FormDataEntryValue | null): Result<T>; secret?: boolean };

// C0/C1 control characters (tab and newline are allowed only in multi-line text), and lone surrogates.
/* eslint-disable no-control-regex -- matching control characters is the point */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/* eslint-enable no-control-regex */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const err = (key: FieldError['key'], params?: FieldError['params']): Result<never> => ({ ok: false, error: { key, params } });

type TextOptions = { max: number; min?: number; multiline?: boolean; trim?: boolean };

/** Text as typed: a string (not a file), no control characters nor invisible formatting, NFC, length in characters. */
function readText(raw: FormDataEntryValue | null, options: TextOptions): Result<string> {
	const text = readAnyText(raw, options);
	// The raw value: trim() would quietly drop a BOM at either end.
	return text.ok && typeof raw === 'string' && INVISIBLE_FORMATTING.test(raw) ? err('error.invisibleChars') : text;
}

/** As readText, but invisible formatting is allowed (a password is never shown to anyone). */
function readAnyText(raw: FormDataEntryValue | null, { max, min = 0, multiline = false, trim = true }: TextOptions): Result<string> {
	if (raw === null) return ok('');
	if (typeof raw !== 'string') return err('error.notText');
	if ((multiline ? CONTROL : CONTROL_SINGLE_LINE).test(raw) || LONE_SURROGATE.test(raw)) return err('error.controlChars');
	const value = (trim ? raw.trim() : raw).normalize('NFC');
	const length = [...value].length;
	if (length > max) return err('error.tooLong', { max });
	if (length > 0 && length < min) return err('error.tooShort', { min });
	return ok(value);
}

function required<T>(field: Field<T | null>): Field<T> {
	return {
		secret: field.secret,
		parse(raw) {
			const result = field.parse(raw);
			if (!result.ok) return result;
			return result.value === null ? err('error.required') : ok(result.value);
		}
	};
}

export const fields = {
	text(options: TextOptions) {
		return required(fields.optionalText(options));
	},
	optionalText(options: TextOptions): Field<string | null> {
		return { parse: (raw) => mapResult(readText(raw, options), (v) => (v === '' ? null : v)) };
	},
	password(options: { min: number; max: number }): Field<string> {
		return {
			secret: true,
			parse(raw) {
				const text = readAnyText(raw, { max: options.max, trim: false });
				if (!text.ok) return text;
				if (text.value === '') return err('error.required');
				if ([...text.value].length < options.min) return err('error.tooShort', { min: options.min });
				return text;
			}
		};
	},
	optionalPhone(): Field<string | null> {
		return {
			parse: (raw) => {
				const text = readText(raw, { max: 30 });
				if (!text.ok || text.value === '') return mapResult(text, () => null);
				const phone = normalizePhone(text.value);
				return phone ? ok(phone) : err('error.phone');
			}
		};
	},
	optionalEmail(): Field<string | null> {
		return {
			parse: (raw) => {
				const text = readText(raw, { max: 254 });
				if (!text.ok || text.value === '') return mapResult(text, () => null);
				const email = normalizeEmail(text.value);
				return email ? ok(email) : err('error.email');
			}
		};
	},
	optionalInteger(min: number, max: number, message: FieldError['key']): Field<number | null> {
		return {
			parse: (raw) => {
				const text = readText(raw, { max: 12 });
				if (!text.ok || text.value === '') return mapResult(text, () => null);
				const n = Number(text.value);
				return /^\d+$/.test(text.value) && n >= min && n <= max ? ok(n) : err(message, { min, max });
			}
		};
	},
	/** A whole number in a range, required. */
	integer(min: number, max: number): Field<number> {
		return required({
			parse: (raw) => {
				const text = readText(raw, { max: 12 });
				if (!text.ok || text.value === '') return mapResult(text, () => null);
				const n = Number(text.value);
				return /^\d+$/.test(text.value) && n >= min && n <= max ? ok(n) : err('error.numberRange', { min, max });
			}
		});
	},
	/** A time of day as 'HH:mm'. */
	time(): Field<string> {
		return {
			parse: (raw) => {
				const text = readText(raw, { max: 5 });
				if (!text.ok) return text;
				if (text.value === '') return err('error.required');
				return /^([01]\d|2[0-3]):[0-5]\d$/.test(text.value) ? ok(text.value) : err('error.time');
			}
		};
	},
	/** A time of day as 'HH:mm', or nothing. */
	optionalTime(): Field<string | null> {
		return {
			parse: (raw) => {
				const text = readText(raw, { max: 5 });
				if (!text.ok || text.value === '') return mapResult(text, () => null);
				return /^([01]\d|2[0-3]):[0-5]\d$/.test(text.value) ? ok(text.value) : err('error.time');
			}
		};
	},
	/** An optional year of birth: 1900 up to this year in Shanghai; the message names that range. */
	optionalBirthYear(): Field<number | null> {
		return {
			parse: (raw) => {
				const text = readText(raw, { max: 12 });
				if (!text.ok || text.value === '') return mapResult(text, () => null);
				const max = Number(today().slice(0, 4));
				const n = Number(text.value);
				return /^\d{4}$/.test(text.value) && n >= 1900 && n <= max ? ok(n) : err('error.birthYear', { min: 1900, max });
			}
		};
	},
	/** One of a fixed set of values (a select or radio group); a value outside it is refused. */
	choice<V extends string>(values: readonly V[], message: FieldError['key'] = 'error.chooseOne'): Field<V> {
		return {
			parse: (raw) => {
				const text = readText(raw, { max: 100 });
				if (!text.ok) return text;
				return (values as readonly string[]).includes(text.value) ? ok(text.value as V) : err(message);
			}
		};
	},
	/** An id chosen from a list; whether it exists is for the service to say. */
	id(message: FieldError['key'] = 'error.chooseOne'): Field<number> {
		return {
			parse: (raw) => {
				const text = readText(raw, { max: 20 });
				if (!text.ok) return text;
				const id = parseId(text.value);
				return id === null ? err(message) : ok(id);
			}
		};
	},
	checkbox(): Field<boolean> {
		return {
			parse: (raw) => (raw === null ? ok(false) : typeof raw === 'string' ? ok(raw !== '' && raw !== 'off') : err('error.notText'))
		};
	},
	/** A calendar date 'YYYY-MM-DD' within CALENDAR_YEARS: beyond them no calendar is kept (and day arithmetic overflows). */
	date(): Field<string> {
		return {
			parse: (raw) => {
				const text = readText(raw, { max: 10 });
				if (!text.ok) return text;
				if (text.value === '') return err('error.required');
				if (isCalendarDate(text.value)) return ok(text.value);
				// '0001-01-01' or '9999-12-31': a date as asked for, of a year no calendar here counts in.
				const year = /^(\d{4})-\d{2}-\d{2}$/.exec(text.value)?.[1];
				const outside = year !== undefined && (Number(year) < CALENDAR_YEARS.min || Number(year) > CALENDAR_YEARS.max);
				return outside ? err('error.dateRange', { ...CALENDAR_YEARS }) : err('error.date');
			}
		};
	}
};

function mapResult<T, U>(result: Result<T>, fn: (value: T) => U): Result<U> {
	return result.ok ? ok(fn(result.value)) : result;
}

type Schema = Record<string, Field<unknown>>;
export type Values<S extends Schema> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

export type Parsed<S extends Schema> =
	| { ok: true; data: Values<S>; values: FormValues<keyof S & string> }
	| { ok: false; errors: FieldErrors<keyof S & string>; values: FormValues<keyof S & string> };

/** A GET form's fields (filters, searches) as FormData, so that they go through parseForm too. */
export function readQuery(url: URL): FormData {
	const form = new FormData();
	for (const [name, value] of url.searchParams) form.append(name, value);
	return form;
}

export function parseForm<S extends Schema>(schema: S, form: FormData): Parsed<S> {
	const data: Record<string, unknown> = {};
	const errors: FieldErrors = {};
	const values: FormValues = {};
	for (const [name, field] of Object.entries(schema)) {
		const all = form.getAll(name);
		// A field sent twice is tampering or a broken client; treat it as malformed, never pick one.
		const raw = all.length > 1 ? 'multiple' : (all[0] ?? null);
		if (!field.secret && typeof raw === 'string' && all.length === 1) values[name] = raw.slice(0, 1000);
		const result: Result<unknown> = all.length > 1 ? err('error.notText') : field.parse(raw);
		if (result.ok) data[name] = result.value;
		else errors[name] = result.error;
	}
	if (Object.keys(errors).length > 0) return { ok: false, errors, values };
	return { ok: true, data: data as Values<S>, values };
}

/** Reads a request's form data; a body that is not a form counts as an empty form. */
export async function readForm(request: Request): Promise<FormData> {
	try {
		return await request.formData();
	} catch (caught) {
		// A body cut off at BODY_SIZE_LIMIT (sent without a length, so the hook could not refuse it
		// first) is "too large", not an empty form whose fields are all "required".
		if (tooLarge(caught)) error(413, { message: 'Payload Too Large' });
		return new FormData();
	}
}

function tooLarge(caught: unknown): boolean {
	for (let e = caught; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
		if ((e as { status?: unknown }).status === 413) return true;
	}
	return false;
}

/** A refused form action: every page gets the same shape (see FormMessage and Field). */
export function refuse(status: number, refusal: Refusal) {
	return fail(status, refusal);
}

/**
 * A refused value the page wrote itself (a hidden id, the value of a button): the person cannot
 * correct it and there is no field to mark, so the form says to reload the page.
 */
export function refuseStale() {
	return fail(400, { message: { key: 'error.staleForm' } } satisfies Refusal);
}
