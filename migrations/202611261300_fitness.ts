import { sql, type Kysely } from 'kysely';

// Fitness spaces (健身场地): spaces with opening hours, weekly session series, closures. Each session
// is a booking-core occurrence. Frozen once landed. One statement per execute (PGlite).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('fitness_space')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('community.id'))
		.addColumn('name_zh', 'text', (c) => c.notNull().check(sql`length(name_zh) BETWEEN 1 AND 60`))
		.addColumn('name_en', 'text', (c) => c.notNull().check(sql`length(name_en) BETWEEN 1 AND 80`))
		.addColumn('address_zh', 'text', (c) => c.notNull())
		.addColumn('address_en', 'text', (c) => c.notNull())
		.addColumn('directions_zh', 'text')
		.addColumn('directions_en', 'text')
		.addColumn('contact', 'text')
		.addColumn('step_free', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity BETWEEN 1 AND 1000`))
		.addColumn('facilities_zh', 'text')
		.addColumn('facilities_en', 'text')
		// The permanent QR poster's code: unguessable, so nobody checks in without being there.
		.addColumn('checkin_code', 'text', (c) => c.notNull().unique())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('fitness_space_community_id').on('fitness_space').column('community_id').execute();

	await db.schema
		.createTable('fitness_opening_hours')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('space_id', 'integer', (c) => c.notNull().references('fitness_space.id').onDelete('cascade'))
		.addColumn('weekday', 'integer', (c) => c.notNull().check(sql`weekday BETWEEN 1 AND 7`))
		.addColumn('opens', 'time', (c) => c.notNull())
		.addColumn('closes', 'time', (c) => c.notNull())
		.addCheckConstraint('fitness_opening_hours_order', sql`closes > opens`)
		.execute();
	await db.schema.createIndex('fitness_opening_hours_space_id').on('fitness_opening_hours').column('space_id').execute();

	// A weekly series: group sessions (the "two exercises", tai chi…) or open-use blocks with a head count.
	await db.schema
		.createTable('fitness_series')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('space_id', 'integer', (c) => c.notNull().references('fitness_space.id'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('group', 'open')`))
		.addColumn('title_zh', 'text', (c) => c.notNull().check(sql`length(title_zh) BETWEEN 1 AND 60`))
		.addColumn('title_en', 'text', (c) => c.notNull().check(sql`length(title_en) BETWEEN 1 AND 80`))
		.addColumn('instructor', 'text')
		.addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity BETWEEN 1 AND 1000`))
		.addColumn('weekday', 'integer', (c) => c.notNull().check(sql`weekday BETWEEN 1 AND 7`))
		.addColumn('start_time', 'time', (c) => c.notNull())
		.addColumn('end_time', 'time', (c) => c.notNull())
		.addColumn('valid_from', 'date', (c) => c.notNull())
		.addColumn('valid_to', 'date', (c) => c.notNull())
		.addColumn('cancelled_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addCheckConstraint('fitness_series_times', sql`end_time > start_time AND valid_to >= valid_from AND valid_to <= valid_from + 366`)
		.execute();
	await db.schema.createIndex('fitness_series_space_id').on('fitness_series').column('space_id').execute();

	await db.schema
		.createTable('fitness_session')
		.addColumn('occurrence_id', 'bigint', (c) => c.primaryKey().references('occurrence.id').onDelete('cascade'))
		.addColumn('space_id', 'integer', (c) => c.notNull().references('fitness_space.id'))
		.addColumn('series_id', 'integer', (c) => c.references('fitness_series.id'))
		.execute();
	await db.schema.createIndex('fitness_session_space_id').on('fitness_session').column('space_id').execute();
	await db.schema.createIndex('fitness_session_series_id').on('fitness_session').column('series_id').execute();

	await db.schema
		.createTable('fitness_closure')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('space_id', 'integer', (c) => c.notNull().references('fitness_space.id'))
		.addColumn('starts_at', 'timestamptz', (c) => c.notNull())
		.addColumn('ends_at', 'timestamptz', (c) => c.notNull())
		.addColumn('reason_zh', 'text', (c) => c.notNull())
		.addColumn('reason_en', 'text', (c) => c.notNull())
		.addColumn('created_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addCheckConstraint('fitness_closure_order', sql`ends_at > starts_at`)
		.execute();
	await db.schema.createIndex('fitness_closure_space_id').on('fitness_closure').column('space_id').execute();
	await db.schema.createIndex('fitness_closure_created_by').on('fitness_closure').column('created_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('fitness_closure').execute();
	await db.schema.dropTable('fitness_session').execute();
	await db.schema.dropTable('fitness_series').execute();
	await db.schema.dropTable('fitness_opening_hours').execute();
	await db.schema.dropTable('fitness_space').execute();
}
