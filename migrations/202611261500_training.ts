import { sql, type Kysely } from 'kysely';

// First-aid training (急救培训): courses with the skills a trainee must show, sessions (each a
// booking-core occurrence), assessments per enrolment and skill, guardian consent for pupils under
// 14, and the record of each group roster import. Frozen once landed. One statement per execute.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('training_course')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('code', 'text', (c) =>
			c
				.notNull()
				.unique()
				.check(sql`code ~ '^[A-Z0-9][A-Z0-9-]{0,19}$'`)
		)
		.addColumn('title_zh', 'text', (c) => c.notNull().check(sql`length(title_zh) BETWEEN 1 AND 60`))
		.addColumn('title_en', 'text', (c) => c.notNull().check(sql`length(title_en) BETWEEN 1 AND 80`))
		.addColumn('description_zh', 'text', (c) => c.notNull())
		.addColumn('description_en', 'text', (c) => c.notNull())
		.addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes BETWEEN 15 AND 720`))
		.addColumn('validity_months', 'integer', (c) => c.notNull().check(sql`validity_months BETWEEN 1 AND 120`))
		.addColumn('counts_toward_coverage', 'boolean', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.execute();

	// The practical skills a trainee must show, in the order the trainer checks them.
	await db.schema
		.createTable('training_skill')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('course_id', 'integer', (c) => c.notNull().references('training_course.id').onDelete('cascade'))
		.addColumn('position', 'integer', (c) => c.notNull().check(sql`position BETWEEN 1 AND 50`))
		.addColumn('name_zh', 'text', (c) => c.notNull().check(sql`length(name_zh) BETWEEN 1 AND 60`))
		.addColumn('name_en', 'text', (c) => c.notNull().check(sql`length(name_en) BETWEEN 1 AND 100`))
		.addColumn('retired_at', 'timestamptz')
		.addUniqueConstraint('training_skill_position', ['course_id', 'position'])
		.execute();

	// A session is an occurrence of programme 'training'; this row adds what only trainings have.
	await db.schema
		.createTable('training_session')
		.addColumn('occurrence_id', 'bigint', (c) => c.primaryKey().references('occurrence.id').onDelete('cascade'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('training_course.id'))
		.addColumn('trainer_account_id', 'bigint', (c) => c.notNull().references('account.id'))
		.addColumn('venue_zh', 'text', (c) => c.notNull().check(sql`length(venue_zh) BETWEEN 1 AND 120`))
		.addColumn('venue_en', 'text', (c) => c.notNull().check(sql`length(venue_en) BETWEEN 1 AND 160`))
		.addColumn('created_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('training_session_course_id').on('training_session').column('course_id').execute();
	await db.schema.createIndex('training_session_trainer_account_id').on('training_session').column('trainer_account_id').execute();
	await db.schema.createIndex('training_session_created_by').on('training_session').column('created_by').execute();

	// One result per enrolment and skill: signed off as passed or failed, with an optional note.
	await db.schema
		.createTable('training_assessment')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('reservation_id', 'bigint', (c) => c.notNull().references('reservation.id').onDelete('cascade'))
		.addColumn('skill_id', 'integer', (c) => c.notNull().references('training_skill.id'))
		.addColumn('passed', 'boolean', (c) => c.notNull())
		.addColumn('note', 'text', (c) => c.check(sql`length(note) <= 300`))
		.addColumn('assessed_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('assessed_at', 'timestamptz', (c) => c.notNull())
		.addUniqueConstraint('training_assessment_once', ['reservation_id', 'skill_id'])
		.execute();
	await db.schema.createIndex('training_assessment_skill_id').on('training_assessment').column('skill_id').execute();
	await db.schema.createIndex('training_assessment_assessed_by').on('training_assessment').column('assessed_by').execute();

	// Each group roster that was imported: who, when, into which session, what it held.
	await db.schema
		.createTable('training_roster_import')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('occurrence_id', 'bigint', (c) => c.notNull().references('occurrence.id').onDelete('cascade'))
		.addColumn('imported_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('imported_at', 'timestamptz', (c) => c.notNull())
		.addColumn('encoding', 'text', (c) => c.notNull().check(sql`encoding IN ('utf-8', 'gb18030')`))
		.addColumn('row_count', 'integer', (c) => c.notNull().check(sql`row_count >= 1`))
		.addColumn('people_created', 'integer', (c) => c.notNull())
		.addColumn('people_matched', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('training_roster_import_occurrence_id').on('training_roster_import').column('occurrence_id').execute();
	await db.schema.createIndex('training_roster_import_imported_by').on('training_roster_import').column('imported_by').execute();

	// The staff member's confirmation that a pupil's guardian consented (pupils under 14).
	await db.schema
		.createTable('training_consent')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('reservation_id', 'bigint', (c) => c.notNull().unique().references('reservation.id').onDelete('cascade'))
		.addColumn('import_id', 'bigint', (c) => c.references('training_roster_import.id').onDelete('set null'))
		.addColumn('confirmed_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('confirmed_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('training_consent_import_id').on('training_consent').column('import_id').execute();
	await db.schema.createIndex('training_consent_confirmed_by').on('training_consent').column('confirmed_by').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('training_consent').execute();
	await db.schema.dropTable('training_roster_import').execute();
	await db.schema.dropTable('training_assessment').execute();
	await db.schema.dropTable('training_session').execute();
	await db.schema.dropTable('training_skill').execute();
	await db.schema.dropTable('training_course').execute();
}
