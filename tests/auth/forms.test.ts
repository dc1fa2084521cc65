/**
 * Form data becomes typed values in one place (src/lib/server/forms.ts): every way a browser, a
 * broken client or a tamperer can send a field is either a typed value or a field message key.
 */
import { describe, expect, it } from 'vitest';
import { fields, parseForm } from '../../src/lib/server/forms';

const schema = {
	familyName: fields.text({ max: 40 }),
	displayName: fields.optionalText({ max: 40 }),
	note: fields.optionalText({ max: 200, multiline: true }),
	phone: fields.optionalPhone(),
	email: fields.optionalEmail(),
	communityId: fields.id('error.community'),
	password: fields.password({ min: 8, max: 200 }),
	acceptPrivacy: fields.checkbox()
};

const VALID: Record<string, string> = {
	familyName: '林',
	displayName: '林阿姨',
	note: '',
	phone: '13800138000',
	email: '',
	communityId: '3',
	password: 'morning tai chi by the river',
	acceptPrivacy: '1'
};

function form(overrides: Record<string, string | Blob | null> = {}): FormData {
	const data = new FormData();
	for (const [name, value] of Object.entries({ ...VALID, ...overrides })) {
		if (value === null) continue;
		if (typeof value === 'string') data.append(name, value);
		else data.append(name, value, 'upload.txt');
	}
	return data;
}

/** The one field error the form should report, or the parsed data. */
function errorsOf(data: FormData) {
	const parsed = parseForm(schema, data);
	return parsed.ok ? {} : parsed.errors;
}

describe('parsing a form', () => {
	it('turns a correct form into typed, normalised values', () => {
		const parsed = parseForm(schema, form({ familyName: '  林 ', email: ' Lin.Mei@Example.CN ', note: 'line one\nline two' }));
		expect(parsed).toEqual({
			ok: true,
			data: {
				familyName: '林',
				displayName: '林阿姨',
				note: 'line one\nline two',
				phone: '13800138000',
				email: 'lin.mei@example.cn',
				communityId: 3,
				password: 'morning tai chi by the river',
				acceptPrivacy: true
			},
			values: {
				familyName: '  林 ',
				displayName: '林阿姨',
				note: 'line one\nline two',
				phone: '13800138000',
				email: ' Lin.Mei@Example.CN ',
				communityId: '3',
				acceptPrivacy: '1'
			}
		});
	});

	it('asks for a required field that is empty, blank or missing', () => {
		for (const value of ['', '   ', null]) {
			expect(errorsOf(form({ familyName: value })), String(value)).toEqual({ familyName: { key: 'error.required' } });
		}
		// Passwords are taken as typed (spaces count), so only nothing at all is "empty".
		for (const value of ['', null]) {
			expect(errorsOf(form({ password: value })), String(value)).toEqual({ password: { key: 'error.required' } });
		}
	});

	it('reads an empty optional field as nothing', () => {
		const parsed = parseForm(schema, form({ displayName: '  ', phone: '', email: null, acceptPrivacy: null }));
		expect(parsed.ok && parsed.data).toMatchObject({ displayName: null, phone: null, email: null, acceptPrivacy: false });
	});

	it('counts length in characters: 40 Chinese characters fit, 41 do not', () => {
		expect(errorsOf(form({ familyName: '欧'.repeat(40) }))).toEqual({});
		expect(errorsOf(form({ familyName: '欧'.repeat(41) }))).toEqual({ familyName: { key: 'error.tooLong', params: { max: 40 } } });
	});

	it('counts a character outside the basic plane (𠮷, two UTF-16 units) as one', () => {
		const parsed = parseForm(schema, form({ familyName: '𠮷'.repeat(40) }));
		expect(parsed.ok && parsed.data.familyName).toBe('𠮷'.repeat(40));
		expect(errorsOf(form({ familyName: '𠮷'.repeat(41) }))).toEqual({ familyName: { key: 'error.tooLong', params: { max: 40 } } });
	});

	it('counts a letter typed with a combining accent as one character (NFC)', () => {
		const parsed = parseForm(schema, form({ familyName: 'e\u0301'.repeat(40) }));
		expect(parsed.ok && parsed.data.familyName).toBe('\u00e9'.repeat(40));
	});

	it('refuses a password that is too short or too long, and keeps its spaces', () => {
		expect(errorsOf(form({ password: 'short' }))).toEqual({ password: { key: 'error.tooShort', params: { min: 8 } } });
		expect(errorsOf(form({ password: 'x'.repeat(201) }))).toEqual({ password: { key: 'error.tooLong', params: { max: 200 } } });
		const parsed = parseForm(schema, form({ password: '  spaced out  ' }));
		expect(parsed.ok && parsed.data.password).toBe('  spaced out  ');
	});

	it('refuses control characters and line breaks in a one-line field', () => {
		for (const bad of ['王\u0000', 'a\u0007b', 'a\u001bb', 'a\nb', 'a\rb', 'a\tb', 'a\u007fb', 'a\u0085b', 'a\u009fb', 'a\u2028b']) {
			expect(errorsOf(form({ familyName: bad })), JSON.stringify(bad)).toEqual({ familyName: { key: 'error.controlChars' } });
			expect(errorsOf(form({ password: `long enough ${bad}` })), JSON.stringify(bad)).toEqual({ password: { key: 'error.controlChars' } });
		}
	});

	it('refuses direction overrides and zero-width characters in names and notes (text that reads other than it is stored)', () => {
		const invisible = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
		invisible.push('\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u061c', '\ufeff', '\u2060');
		for (const c of invisible) {
			const name = JSON.stringify(c);
			expect(errorsOf(form({ familyName: `林${c}` })), name).toEqual({ familyName: { key: 'error.invisibleChars' } });
			expect(errorsOf(form({ displayName: `${c}林阿姨` })), name).toEqual({ displayName: { key: 'error.invisibleChars' } });
			expect(errorsOf(form({ note: `头晕${c}三天` })), name).toEqual({ note: { key: 'error.invisibleChars' } });
		}
		// A BOM at either end is refused too, not quietly trimmed.
		expect(errorsOf(form({ familyName: '\ufeff林' }))).toEqual({ familyName: { key: 'error.invisibleChars' } });
		// Scripts written right to left need no marks, and a password is never shown: both are taken as typed.
		expect(errorsOf(form({ note: 'مرحبا שלום', password: 'long enough \u202e\u200b' }))).toEqual({});
	});

	it('takes a day within the calendar years and refuses one outside them (no calendar counts there)', () => {
		const day = { day: fields.date() };
		const parse = (value: string) => parseForm(day, form({ day: value }));
		for (const ok of ['2000-01-01', '2026-02-28', '2100-12-31']) expect(parse(ok).ok, ok).toBe(true);
		for (const far of ['9999-12-31', '0001-01-01', '2101-01-01', '1999-12-31']) {
			expect(parse(far), far).toMatchObject({ ok: false, errors: { day: { key: 'error.dateRange', params: { min: 2000, max: 2100 } } } });
		}
		expect(parse('2026-02-30')).toMatchObject({ ok: false, errors: { day: { key: 'error.date' } } });
	});

	it('allows line breaks and tabs in multi-line text, but no other control character', () => {
		expect(errorsOf(form({ note: 'one\ntwo\r\n\tthree' }))).toEqual({});
		expect(errorsOf(form({ note: 'one\u0000two' }))).toEqual({ note: { key: 'error.controlChars' } });
		expect(errorsOf(form({ note: 'one\u000btwo' }))).toEqual({ note: { key: 'error.controlChars' } });
	});

	it('refuses a file where text is expected, and does not echo it back', () => {
		const parsed = parseForm(
			schema,
			form({ familyName: new Blob(['王']), password: new Blob(['secret secret']), acceptPrivacy: new Blob(['1']) })
		);
		expect(parsed).toMatchObject({
			ok: false,
			errors: { familyName: { key: 'error.notText' }, password: { key: 'error.notText' }, acceptPrivacy: { key: 'error.notText' } }
		});
		expect(parsed.values.familyName).toBeUndefined();
	});

	it('refuses a field sent twice instead of picking one of the values', () => {
		for (const name of ['familyName', 'phone', 'communityId', 'password', 'acceptPrivacy']) {
			const data = form();
			data.append(name, VALID[name] || 'x');
			const parsed = parseForm(schema, data);
			expect(parsed.ok, name).toBe(false);
			expect(parsed.ok ? null : parsed.errors, name).toEqual({ [name]: { key: 'error.notText' } });
			expect(parsed.values[name as keyof typeof parsed.values], name).toBeUndefined();
		}
	});

	it('refuses a malformed mainland mobile number', () => {
		for (const bad of ['1380013800', '138001380000', '23800138000', '12800138000', '+1 415 555 0100', '1380013800x', '+86', 'phone']) {
			expect(errorsOf(form({ phone: bad })), bad).toEqual({ phone: { key: 'error.phone' } });
		}
	});

	it('normalises the ways a mobile number is written to its 11 digits', () => {
		for (const typed of [
			'+86 138-0013-8000',
			'+8613800138000',
			'0086 13800138000',
			'138 0013 8000',
			'138-0013-8000',
			' 13800138000 ',
			'(138) 0013.8000'
		]) {
			const parsed = parseForm(schema, form({ phone: typed }));
			expect(parsed.ok && parsed.data.phone, typed).toBe('13800138000');
		}
	});

	it('refuses a malformed e-mail address and a choice id that is not a number', () => {
		for (const bad of ['wang', 'wang@', '@example.cn', 'wang@example', 'wang fang@example.cn', 'a@b@example.cn']) {
			expect(errorsOf(form({ email: bad })), bad).toEqual({ email: { key: 'error.email' } });
		}
		for (const bad of ['', 'abc', '0', '-1', '1.5', '1e3', '9'.repeat(16)]) {
			expect(errorsOf(form({ communityId: bad })), bad).toEqual({ communityId: { key: 'error.community' } });
		}
	});

	it('reports every broken field at once, never the password as typed', () => {
		const parsed = parseForm(schema, form({ familyName: '', phone: '123', password: 'short' }));
		expect(parsed).toEqual({
			ok: false,
			errors: {
				familyName: { key: 'error.required' },
				phone: { key: 'error.phone' },
				password: { key: 'error.tooShort', params: { min: 8 } }
			},
			values: { familyName: '', displayName: '林阿姨', note: '', phone: '123', email: '', communityId: '3', acceptPrivacy: '1' }
		});
	});
});
