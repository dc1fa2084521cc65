import { sql, type Kysely } from 'kysely';

// Per-programme rule: may a person still cancel online after the cancel cut-off (it then counts as
// `late_cancelled`), or is that refused so they phone instead? Doctor slots refuse it: a slot freed
// two hours before is rarely taken again, so the studio wants a call. Staff may still cancel for
// the person. Frozen once landed. One statement per execute (PGlite).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('programme')
		.addColumn('late_cancel_online', 'boolean', (c) => c.notNull().defaultTo(true))
		.execute();
	await sql`UPDATE programme SET late_cancel_online = false WHERE code = 'doctor'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('programme').dropColumn('late_cancel_online').execute();
}
