/**
 * CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Chinese correctly), CRLF line
 * ends, quoted where needed, and any text cell that a spreadsheet would read as a formula (starting
 * with =, +, -, @, or a tab or carriage return) neutralised with a leading apostrophe.
 */
export type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
	if (value === null) return '';
	let text = typeof value === 'number' ? String(value) : value;
	if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: Cell[][]): string {
	return '\uFEFF' + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** e.g. participation-dashboard_2026-01_2026-12_dongmen.csv */
export function csvFileName(table: string, from: string, to: string, communityCode: string): string {
	return `participation-${table}_${from}_${to}_${communityCode}.csv`;
}
