/**
 * "My data": everything the portal holds about a person, as JSON or as a bundle of CSV
 * files. Rows are found through the catalogue (see `references`): every row of every table that
 * points at the person or their account, and the rows that hang off the person's reservations.
 * Secrets (password and token hashes) are left out; they are not information about the person.
 */
import { sql, type Kysely } from 'kysely';
import { strToU8, zipSync } from 'fflate';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { references } from './catalogue';

const SECRET = /(^|_)(password_hash|secret_hash|token_hash)$/;

export type PlainRow = Record<string, string | number | boolean | null | object>;
export type PersonalData = { exported_at: string; person_id: number; tables: Record<string, PlainRow[]> };

/** A row as the export shows it: dates as ISO text, bytes and secrets left out. */
export function plainRow(row: Record<string, unknown>): PlainRow {
	const out: PlainRow = {};
	for (const [key, value] of Object.entries(row)) {
		if (SECRET.test(key) || value instanceof Uint8Array) continue;
		out[key] = value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? Number(value) : (value as PlainRow[string]);
	}
	return out;
}

async function rowsWhere(db: Kysely<Database>, table: string, column: string, ids: number[]): Promise<Record<string, unknown>[]> {
	if (ids.length === 0) return [];
	const result = await sql<
		Record<string, unknown>
	>`SELECT * FROM ${sql.table(table)} WHERE ${sql.ref(column)} IN (${sql.join(ids)})`.execute(db);
	return result.rows;
}

export async function collectPersonalData(db: Kysely<Database>, personId: number): Promise<PersonalData> {
	const account = await db.selectFrom('account').select('id').where('person_id', '=', personId).executeTakeFirst();
	const reservations = await db.selectFrom('reservation').select('id').where('person_id', '=', personId).execute();
	const ids = { person: [personId], account: account ? [account.id] : [], reservation: reservations.map((r) => r.id) };
	const tables: Record<string, PlainRow[]> = {
		person: (await rowsWhere(db, 'person', 'id', [personId])).map(plainRow),
		account: (await rowsWhere(db, 'account', 'id', ids.account)).map(plainRow)
	};
	for (const ref of await references(db)) {
		addRows(tables, ref.table, (await rowsWhere(db, ref.table, ref.column, ids[ref.target])).map(plainRow));
	}
	addRows(tables, 'audit_log', (await auditAbout(db, tables)).map(plainRow));
	for (const key of Object.keys(tables)) if (tables[key]!.length === 0) delete tables[key];
	return { exported_at: now().toISOString(), person_id: personId, tables };
}

/** Adds rows to a table of the export, leaving out those already in it. */
function addRows(tables: Record<string, PlainRow[]>, table: string, rows: PlainRow[]): void {
	const list = (tables[table] ??= []);
	const seen = new Set(list.map((r) => JSON.stringify(r)));
	for (const row of rows) {
		const key = JSON.stringify(row);
		if (seen.has(key)) continue;
		list.push(row);
		seen.add(key);
	}
}

/**
 * The audit entries whose subject is in the export (the person, their account, reservations,
 * appointments, certificates, household links…): who looked at their record, who made a link for
 * them, who changed their places. Entries the person made themselves came with their account.
 */
async function auditAbout(db: Kysely<Database>, tables: Record<string, PlainRow[]>): Promise<Record<string, unknown>[]> {
	const subjects = Object.entries(tables).flatMap(([table, rows]) =>
		table === 'audit_log' ? [] : rows.flatMap((r) => (typeof r.id === 'number' ? [{ type: table, id: String(r.id) }] : []))
	);
	if (subjects.length === 0) return [];
	const result = await sql<Record<string, unknown>>`
		SELECT a.* FROM audit_log a
		JOIN (VALUES ${sql.join(subjects.map((s) => sql`(${s.type}, ${s.id})`))}) AS s (type, id)
		  ON a.subject_type = s.type AND a.subject_id = s.id
		ORDER BY a.at, a.id`.execute(db);
	return result.rows;
}

/** A CSV cell: quoted, and a leading = + - @ neutralised against spreadsheet formulas. */
function cell(value: PlainRow[string]): string {
	let text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
	if (/^[=+\-@]/.test(text)) text = `'${text}`;
	return `"${text.replace(/"/g, '""')}"`;
}

function csv(rows: PlainRow[]): string {
	const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
	const lines = [columns.map((c) => cell(c)).join(','), ...rows.map((r) => columns.map((c) => cell(r[c] ?? null)).join(','))];
	return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** One CSV file per table (UTF-8 with BOM, for Excel), zipped. */
export function csvBundle(data: PersonalData): Uint8Array {
	const files: Record<string, Uint8Array> = {};
	for (const [table, rows] of Object.entries(data.tables)) files[`${table}.csv`] = strToU8(csv(rows));
	return zipSync(files);
}
