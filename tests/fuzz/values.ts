/**
 * Generators of what a form field may receive from a browser, a broken client or a tamperer:
 * plausible values mixed with hostile ones (empty, over-long, control characters, NUL, lone
 * surrogates, RTL and zero-width marks, emoji, CJK, injection strings, numbers and dates out of
 * range). A field's generator is `oneof` of some valid values and `hostile()`, so that a run reaches
 * both the validation and what lies behind it.
 */
import fc from 'fast-check';

/** What is posted for one field: a value, the field sent twice or more (an array), or left out. */
export type Sent = string | string[] | { file: string } | undefined;
/**
 * A field's generator. `plausible` gives the values a person would type (the edge pass fills the
 * other fields with them); `edges` are well-formed values that must be refused next to the field
 * whatever the rest of the form holds (the edge pass posts each one).
 */
export type FieldArb = fc.Arbitrary<Sent> & { plausible?: fc.Arbitrary<string>; edges?: readonly string[] };

const INJECTIONS = [
	"' OR 1=1 --",
	'1; DROP TABLE person; --',
	"'); DELETE FROM reservation; --",
	'1 UNION SELECT password_hash FROM account',
	'<script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	'javascript:alert(1)',
	'=HYPERLINK("http://x","x")',
	"=cmd|' /C calc'!A0",
	'+1+1',
	'-2+3',
	'@SUM(1,1)',
	'{{7*7}}',
	'${7*7}',
	'%00',
	'../../etc/passwd',
	'\\',
	"'",
	'"',
	'null',
	'undefined',
	'[object Object]',
	'__proto__',
	'constructor'
];

const UNICODE = [
	'\u202e\u6797\u202c', // RTL override
	'\u200b', // zero-width space only
	'\u200d\u200c\ufeff', // zero-width joiners and BOM
	'林\u200b秀\u200d英',
	'👩‍👩‍👧‍👦',
	'🏥🩺💉',
	'𠮷野家', // outside the BMP
	'王秀英',
	'مرحبا',
	'שלום',
	'ｆｕｌｌ－ｗｉｄｔｈ',
	'e\u0301', // decomposed accent (NFC changes it)
	'\u3000', // ideographic space
	'\u00a0', // no-break space
	'\u2028line\u2029'
];

const CONTROL = ['\u0000', 'a\u0000b', '\u0007', '\u001b[31m', '\r\n', '\t', '\u007f', '\u0085', 'x\u0000'.repeat(3)];

const LONE_SURROGATES = ['\ud800', 'a\udc00b'];

const NUMBERS = [
	'0',
	'-1',
	'-0',
	'1e3',
	'1e308',
	'NaN',
	'Infinity',
	'-Infinity',
	'0x10',
	'1.5',
	'١٢٣', // Arabic-Indic digits
	'１２３', // full-width digits
	'9007199254740993',
	'99999999999999999999',
	'2147483648',
	'-2147483649',
	' 7 ',
	'007'
];

const DATES = [
	'2026-02-30',
	'2026-13-01',
	'2026-00-10',
	'0000-01-01',
	'9999-12-31',
	'1899-12-31',
	'2026-1-1',
	'26-01-01',
	'2026/03/08',
	'2026-03-08T02:30',
	'2026-03-29', // a DST change date elsewhere; none in Shanghai
	'2026-11-01',
	'2024-02-29',
	'2025-02-29',
	'+02026-01-01',
	'today'
];

const TIMES = ['24:00', '23:60', '02:30', '2:30', '00:00', '23:59', '12:00:00', '-01:00', '99:99', '12.30'];

const INSTANTS = [
	'2026-02-30T09:00:00.000Z',
	'1970-01-01T00:00:00.000Z',
	'9999-12-31T23:59:59.999Z',
	'2026-03-08T02:30:00.000+08:00',
	'now'
];

/** Strings around and far over the lengths forms allow. */
const huge = fc.constantFrom(51, 201, 1001, 3001, 20_000).chain((n) => fc.constantFrom('x', '林', '😀', '\u200b').map((c) => c.repeat(n)));

/** Anything a hostile client might put in a text field. */
export function hostile(): fc.Arbitrary<string> {
	return fc.oneof(
		fc.constant(''),
		fc.constant('   '),
		fc.constantFrom(...INJECTIONS),
		fc.constantFrom(...UNICODE),
		fc.constantFrom(...CONTROL),
		fc.constantFrom(...LONE_SURROGATES),
		fc.constantFrom(...NUMBERS),
		fc.constantFrom(...DATES),
		fc.constantFrom(...TIMES),
		fc.constantFrom(...INSTANTS),
		huge,
		fc.string({ unit: 'binary', maxLength: 40 }),
		fc.string({ unit: 'grapheme', maxLength: 40 }),
		fc.integer().map(String),
		fc.double().map(String)
	);
}

/** A field as posted: usually one value, sometimes sent twice, as a file, or left out. */
function posted(value: fc.Arbitrary<string>): FieldArb {
	return fc.oneof(
		{ weight: 8, arbitrary: value },
		{ weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) },
		{ weight: 1, arbitrary: fc.constant(undefined) },
		{ weight: 1, arbitrary: value.map((file) => ({ file })) }
	);
}

/** A field whose valid values are `valid`; hostile values half of the time. */
export function field(...valid: (string | fc.Arbitrary<string>)[]): FieldArb {
	const good = valid.map((v) => (typeof v === 'string' ? fc.constant(v) : v));
	const plausible = good.length === 0 ? undefined : fc.oneof(...good);
	return Object.assign(posted(plausible ? fc.oneof(plausible, hostile()) : hostile()), { plausible });
}

/** Free text a person might type, in both scripts, up to `max` characters. */
export function text(max: number): FieldArb {
	const plausible = fc.constantFrom(...['王秀英', 'Wang Xiuying', 'x'.repeat(max)].filter((v) => v.length <= max));
	const arb = field(fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(max, 30) }), plausible, 'x'.repeat(max + 1));
	return Object.assign(arb, { plausible });
}

/** A whole number field: in range, at the edges, just outside. */
export function integer(min: number, max: number): FieldArb {
	const plausible = fc.integer({ min, max }).map(String);
	return Object.assign(field(plausible, String(min - 1), String(max + 1), String(min), String(max)), { plausible });
}

/** An id field: the ids of things that exist (some of other people), and ones that do not. */
export function id(pool: readonly number[]): FieldArb {
	const known = pool.length > 0 ? [fc.constantFrom(...pool.map(String))] : [];
	const arb = field(...known, '999999999', '9999999999999999', fc.nat({ max: 50 }).map(String));
	return known.length > 0 ? Object.assign(arb, { plausible: known[0]! }) : arb;
}

/**
 * Well-formed days of years no calendar of the portal counts in (CALENDAR_YEARS is 2000–2100; the
 * admin pages' dates 1950–2100): every date field must refuse them with a message, never a 500
 * (`POST /doctor?/cancelDay` with 9999-12-31 once threw a RangeError).
 */
export const FAR_DATES = ['0001-01-01', '1899-12-31', '2101-01-01', '9999-12-31'] as const;

/** A date field: days around today, impossible days, far past and future (as 'YYYY-MM-DD' too). */
export function date(): FieldArb {
	const day = fc
		.integer({ min: -400, max: 400 })
		.map((d) => new Date(Date.now() + d * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10));
	const anyYear = fc
		.tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
		.map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
	const arb = posted(fc.oneof(day, day, fc.constantFrom(...FAR_DATES), anyYear, hostile()));
	return Object.assign(arb, { plausible: day, edges: FAR_DATES });
}

/** A time of day; `typical` is what the edge pass sends (an end later than a start's 09:00). */
export function time(typical = '09:00'): FieldArb {
	const hhmm = fc
		.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
		.map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
	return Object.assign(field(hhmm, typical), { plausible: fc.constant(typical) });
}

/** An ISO instant as the slot pages send it. */
export function instant(): FieldArb {
	const at = fc.integer({ min: -30, max: 60 }).map((d) => {
		const t = new Date(Date.now() + d * 86_400_000);
		t.setUTCMinutes(0, 0, 0);
		return t.toISOString();
	});
	return field(
		at,
		fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
	);
}

export function choice(...values: string[]): FieldArb {
	return field(...values);
}

export function checkbox(): FieldArb {
	return field('1', 'on', 'off', '');
}

export function phone(...known: string[]): FieldArb {
	return field(...known, '13800138000', '+86 138 0013 8000', '1380013800', '+1 415 555 0100', fc.stringMatching(/^1[3-9]\d{9}$/));
}

export function email(): FieldArb {
	return field('lin.mei@example.cn', 'LIN@EXAMPLE.CN', 'lin@', '@example.cn', 'a@b', `${'a'.repeat(250)}@example.cn`, fc.emailAddress());
}

export function password(): FieldArb {
	return field('morning tai chi by the river', 'password123', 'short', 'x'.repeat(201));
}
