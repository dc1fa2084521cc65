/**
 * Reading a group roster file: the bytes become text (UTF-8 with or without a BOM, else GB18030,
 * which is what Excel writes for a Chinese CSV), the text becomes records with the line each one
 * starts on, and the header says which column is which. Nothing here touches the database.
 */
import type { MessageKey } from '$lib/i18n';

export type Encoding = 'utf-8' | 'gb18030';

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped); otherwise GB18030. */
export function decodeRoster(bytes: Uint8Array): { text: string; encoding: Encoding } {
	const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	const body = bom ? bytes.subarray(3) : bytes;
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
	} catch {
		return { text: new TextDecoder('gb18030').decode(body), encoding: 'gb18030' };
	}
}

export type CsvRecord = { line: number; cells: string[] };

/**
 * RFC 4180 records: commas, double quotes (a doubled quote inside), CRLF, LF or CR line ends, and
 * line breaks inside quotes. `line` is the physical line the record starts on (1 = the header).
 * Null when a quoted field never closes.
 */
export function parseCsv(text: string): CsvRecord[] | null {
	const records: CsvRecord[] = [];
	let cells: string[] = [];
	let cell = '';
	let quoted = false;
	let line = 1;
	let start = 1;
	let i = 0;
	const endRecord = () => {
		cells.push(cell);
		records.push({ line: start, cells });
		cells = [];
		cell = '';
	};
	while (i < text.length) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i += 2;
					continue;
				}
				quoted = false;
			} else {
				if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
				cell += c;
			}
			i++;
			continue;
		}
		if (c === '"' && cell.trim() === '') {
			quoted = true;
			cell = '';
		} else if (c === ',') {
			cells.push(cell);
			cell = '';
		} else if (c === '\r' || c === '\n') {
			endRecord();
			i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
			line++;
			start = line;
			continue;
		} else {
			cell += c;
		}
		i++;
	}
	if (quoted) return null;
	if (cell !== '' || cells.length > 0) endRecord();
	// Blank lines are not rows.
	return records.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

export type Column = 'familyName' | 'givenName' | 'phone' | 'birthYear' | 'birthDate';

const HEADERS: Record<Column, string[]> = {
	familyName: ['姓', '姓氏', 'family name', 'family_name', 'surname', 'last name'],
	givenName: ['名', '名字', 'given name', 'given_name', 'first name'],
	phone: ['手机号', '手机', '手机号码', '电话', '联系电话', 'phone', 'mobile'],
	birthYear: ['出生年份', 'birth year', 'birth_year', 'year of birth'],
	birthDate: ['出生日期', 'birth date', 'birth_date', 'date of birth']
};

export type HeaderMap = Partial<Record<Column, number>>;

/** Which column holds what; null when a name column is missing or a column appears twice. */
export function readHeader(cells: string[]): HeaderMap | null {
	const map: HeaderMap = {};
	for (const [index, raw] of cells.entries()) {
		const name = raw.trim().toLowerCase();
		for (const [column, names] of Object.entries(HEADERS) as [Column, string[]][]) {
			if (!names.includes(name)) continue;
			if (map[column] !== undefined) return null;
			map[column] = index;
		}
	}
	return map.familyName !== undefined && map.givenName !== undefined ? map : null;
}

export type RowProblem = { line: number; key: MessageKey; params?: Record<string, string | number> };
