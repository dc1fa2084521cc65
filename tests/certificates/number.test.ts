import { describe, expect, it } from 'vitest';
import { formatNumber, maskedName, parseNumber } from '../../src/lib/server/certificates/number';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-';

describe('certificate numbers', () => {
	it('read as written, and as people type them', () => {
		const number = formatNumber(2026, 123);
		expect(number).toMatch(/^DM-FA-2026-000123-[ACDEFHJKLM]$/);
		for (const typed of [
			number,
			number.toLowerCase(),
			number.replace(/-/g, ' '),
			number.replace(/-/g, ''),
			` ${number.replace(/-/g, '—')} `,
			'ＤＭ－ＦＡ' + number.slice(5)
		])
			expect(parseNumber(typed)).toEqual({ ok: true, number, year: 2026, sequence: 123 });
		expect(parseNumber('hello')).toEqual({ ok: false, reason: 'malformed' });
		expect(parseNumber('DM-FA-2026-123-K')).toEqual({ ok: false, reason: 'malformed' });
	});

	it('never accept a number with one character changed or two neighbours swapped', () => {
		for (const [year, sequence] of [
			[2026, 1],
			[2026, 123],
			[2027, 987654],
			[2031, 500050]
		] as const) {
			const number = formatNumber(year, sequence);
			const variants = new Set<string>();
			for (let i = 0; i < number.length; i++) {
				for (const c of ALPHABET) if (c !== number[i]) variants.add(number.slice(0, i) + c + number.slice(i + 1));
				if (i + 1 < number.length && number[i] !== number[i + 1])
					variants.add(number.slice(0, i) + number[i + 1] + number[i] + number.slice(i + 2));
			}
			for (const variant of variants) {
				const parsed = parseNumber(variant);
				// A dash that became a space, or a doubled dash, still reads as the same number.
				if (parsed.ok) expect({ variant, number: parsed.number }).toEqual({ variant, number });
			}
			// Within the digits, every change is caught by the check letter, not only by the format.
			const digitSwap = number.slice(0, 11) + number[12] + number[11] + number.slice(13);
			if (digitSwap !== number) expect(parseNumber(digitSwap)).toEqual({ ok: false, reason: 'mistyped' });
			const digitChange = number.slice(0, 15) + ((Number(number[15]) + 1) % 10) + number.slice(16);
			expect(parseNumber(digitChange)).toEqual({ ok: false, reason: 'mistyped' });
		}
	});
});

describe('masked names on the public verification page', () => {
	it('show the family name and only the last character of the given name', () => {
		expect(maskedName('张', '晓明')).toBe('张*明');
		expect(maskedName('欧阳', '晓明')).toBe('欧阳*明');
		expect(maskedName('张', '明')).toBe('张*');
		expect(maskedName('王', '秀英')).toBe('王*英');
		expect(maskedName('Smith', 'Anna')).toBe('Smith *a');
	});
});
