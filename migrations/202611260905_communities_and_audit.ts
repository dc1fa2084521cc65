import { sql, type Kysely } from 'kysely';

// Frozen once landed: later changes go into new migrations. One statement per execute (PGlite).

export async function up(db: Kysely<any>): Promise<void> {
	await sql`CREATE EXTENSION IF NOT EXISTS btree_gist`.execute(db);

	await db.schema
		.createTable('community')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('code', 'text', (c) =>
			c
				.notNull()
				.unique()
				.check(sql`code ~ '^[a-z][a-z0-9-]{1,31}$'`)
		)
		.addColumn('name_zh', 'text', (c) => c.notNull().check(sql`length(name_zh) BETWEEN 1 AND 60`))
		.addColumn('name_en', 'text', (c) => c.notNull().check(sql`length(name_en) BETWEEN 1 AND 80`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();

	// Registered population changes over time; the coverage rate uses the figure in force.
	await db.schema
		.createTable('community_population')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('community.id').onDelete('cascade'))
		.addColumn('population', 'integer', (c) => c.notNull().check(sql`population >= 0`))
		.addColumn('effective_from', 'date', (c) => c.notNull())
		.addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addUniqueConstraint('community_population_once_per_day', ['community_id', 'effective_from'])
		.execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('actor_account_id', 'bigint')
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('subject_type', 'text', (c) => c.notNull())
		.addColumn('subject_id', 'text')
		.addColumn('community_id', 'integer', (c) => c.references('community.id').onDelete('set null'))
		.addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.execute();
	await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
	await db.schema.createIndex('audit_log_action_at').on('audit_log').columns(['action', 'at']).execute();
	await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_type', 'subject_id']).execute();
	await db.schema.createIndex('audit_log_community_id').on('audit_log').column('community_id').execute();
	await db.schema.createIndex('audit_log_actor_account_id').on('audit_log').column('actor_account_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('audit_log').execute();
	await db.schema.dropTable('community_population').execute();
	await db.schema.dropTable('community').execute();
	// btree_gist stays: other objects of the server may use it, and dropping it is not ours to decide.
}
