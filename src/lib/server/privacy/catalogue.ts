/**
 * Where the database holds things about a person, read from the catalogue itself (every foreign
 * key to person, account or reservation), so a table added later is found without a list to
 * keep up to date. Export, erasure and merge all start here.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export type Reference = { table: string; column: string; target: 'person' | 'account' | 'reservation' };

export async function references(db: Kysely<Database>): Promise<Reference[]> {
	const rows = await sql<Reference>`
		SELECT cl.relname AS "table", a.attname AS "column", t.relname AS target
		FROM pg_constraint c
		JOIN pg_class cl ON cl.oid = c.conrelid
		JOIN pg_class t ON t.oid = c.confrelid
		JOIN pg_namespace n ON n.oid = cl.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
		WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname IN ('person', 'account', 'reservation')
		ORDER BY 1, 2`.execute(db);
	return rows.rows;
}

/** Every text and json column of every table (for erasure and the test that scans for leftovers). */
export async function textColumns(db: Kysely<Database>): Promise<{ table: string; column: string; type: string }[]> {
	const rows = await sql<{ table: string; column: string; type: string }>`
		SELECT c.relname AS "table", a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type
		FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'r' AND n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped
		  AND format_type(a.atttypid, a.atttypmod) IN ('text', 'jsonb', 'json', 'text[]')
		  AND c.relname NOT LIKE 'kysely_%'
		ORDER BY 1, 2`.execute(db);
	return rows.rows;
}

/**
 * Text columns that are part of a primary key or a unique index ("table.column"): erasure never
 * rewrites them, since two people's values rewritten to one placeholder would collide.
 */
export async function keyTextColumns(db: Kysely<Database>): Promise<Set<string>> {
	const rows = await sql<{ table: string; column: string }>`
		SELECT DISTINCT c.relname AS "table", a.attname AS "column"
		FROM pg_index i
		JOIN pg_class c ON c.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
		WHERE i.indisunique AND n.nspname = current_schema()
		  AND format_type(a.atttypid, a.atttypmod) IN ('text', 'jsonb', 'json', 'text[]')`.execute(db);
	return new Set(rows.rows.map((r) => `${r.table}.${r.column}`));
}
