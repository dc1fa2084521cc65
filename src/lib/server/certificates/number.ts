/**
 * Certificate numbers: `DM-FA-2026-000123-K`, the year of issue, a sequence from the
 * database (six digits: a million certificates is far beyond one subdistrict), and a check letter. The check is the Damm algorithm over the digits of year and
 * sequence, which catches every single wrong digit and every swap of two neighbouring digits; its
 * digit is written as a letter so that it is never mistaken for part of the sequence. A wrong or
 * swapped letter, or a letter swapped with a digit, breaks the format or the check just as well.
 */

// A totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004).
const DAMM = [
	[0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
	[7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
	[4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
	[1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
	[6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
	[3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
	[5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
	[8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
	[9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
	[2, 5, 8, 1, 4, 3, 6, 7, 9, 0]
] as const;

/** The check digit's letters: none that reads like a digit (no B, G, I, O, S, Z). */
const LETTERS = 'ACDEFHJKLM';
const PREFIX = 'DM-FA';

function dammDigit(digits: string): number {
	let interim = 0;
	for (const d of digits) interim = DAMM[interim]![Number(d)]!;
	return interim;
}

export function checkLetter(year: number, sequence: number): string {
	return LETTERS[dammDigit(`${year}${String(sequence).padStart(6, '0')}`)]!;
}

export function formatNumber(year: number, sequence: number): string {
	if (!Number.isInteger(year) || year < 2000 || year > 9999 || !Number.isInteger(sequence) || sequence < 1 || sequence > 999_999)
		throw new RangeError('certificate number out of range');
	return `${PREFIX}-${year}-${String(sequence).padStart(6, '0')}-${checkLetter(year, sequence)}`;
}

export type ParsedNumber = { ok: true; number: string; year: number; sequence: number } | { ok: false; reason: 'malformed' | 'mistyped' };

/**
 * Reads a number as people type it: any case, full-width characters, spaces, and dashes of any
 * kind. `mistyped` when it has the right shape but the check fails.
 */
export function parseNumber(input: string): ParsedNumber {
	const text = input
		.normalize('NFKC')
		.toUpperCase()
		.replace(/[\s\u2010-\u2015\u2212_]+/g, (m) => (/\s/.test(m) ? '' : '-'))
		.replace(/-+/g, '-');
	const match = /^DM-?FA-?(\d{4})-?(\d{6})-?([A-Z])$/.exec(text);
	if (!match) return { ok: false, reason: 'malformed' };
	const year = Number(match[1]);
	const sequence = Number(match[2]);
	if (sequence < 1 || year < 2000) return { ok: false, reason: 'malformed' };
	if (match[3] !== checkLetter(year, sequence)) return { ok: false, reason: 'mistyped' };
	return { ok: true, number: formatNumber(year, sequence), year, sequence };
}

/**
 * The holder's name as the public verification page shows it: the family name, then the given name
 * masked but for its last character (张*明, 欧阳*明; a one-character given name is masked whole: 张*).
 */
export function maskedName(familyName: string, givenName: string): string {
	const given = [...givenName.trim()];
	if (given.length === 0) return familyName;
	const latin = /^[\p{Script=Latin}\s'-]+$/u.test(familyName + givenName);
	const masked = given.length === 1 ? '*' : `*${given[given.length - 1]}`;
	return latin ? `${familyName} ${masked}` : `${familyName}${masked}`;
}
