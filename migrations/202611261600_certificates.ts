import { sql, type Kysely } from 'kysely';

// Certificates (PRODUCT §7): one live certificate per training enrolment, numbered from a sequence,
// verified by an unguessable code; revocation and re-issue; expiry reminders once each; every public
// look-up logged (time, what was asked, the answer — nothing about the visitor). One statement per
// execute (PGlite). Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
	// Gaps after a rolled-back issue are fine; numbers only ever increase.
	await sql`CREATE SEQUENCE certificate_number_seq MINVALUE 1 MAXVALUE 999999 NO CYCLE`.execute(db);
	await db.schema
		.createTable('certificate')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('number', 'text', (c) => c.notNull().unique())
		.addColumn('verification_code', 'text', (c) =>
			c
				.notNull()
				.unique()
				.check(sql`length(verification_code) >= 26`)
		)
		.addColumn('reservation_id', 'bigint', (c) => c.notNull().references('reservation.id'))
		.addColumn('person_id', 'bigint', (c) => c.notNull().references('person.id'))
		.addColumn('course_id', 'integer', (c) => c.notNull().references('training_course.id'))
		// As printed: the names are kept even if the person's record changes later.
		.addColumn('holder_family_name', 'text', (c) => c.notNull())
		.addColumn('holder_given_name', 'text', (c) => c.notNull())
		.addColumn('trained_on', 'date', (c) => c.notNull())
		.addColumn('valid_until', 'date', (c) => c.notNull())
		.addColumn('issued_at', 'timestamptz', (c) => c.notNull())
		.addColumn('issued_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('revoked_at', 'timestamptz')
		.addColumn('revoked_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('revoke_reason', 'text', (c) => c.check(sql`length(revoke_reason) BETWEEN 1 AND 300`))
		.addColumn('replaces_id', 'bigint', (c) => c.references('certificate.id'))
		.addCheckConstraint('certificate_revocation_complete', sql`(revoked_at IS NULL) = (revoke_reason IS NULL)`)
		.addCheckConstraint('certificate_valid_after_training', sql`valid_until >= trained_on`)
		.execute();
	// A second click, or two trainers at once, never make a second live certificate for one enrolment.
	await sql`CREATE UNIQUE INDEX certificate_once_per_enrolment ON certificate (reservation_id) WHERE revoked_at IS NULL`.execute(db);
	await db.schema.createIndex('certificate_person_id').on('certificate').column('person_id').execute();
	await db.schema.createIndex('certificate_course_valid_until').on('certificate').columns(['course_id', 'valid_until']).execute();
	await db.schema.createIndex('certificate_issued_by').on('certificate').column('issued_by').execute();
	await db.schema.createIndex('certificate_revoked_by').on('certificate').column('revoked_by').execute();
	await db.schema.createIndex('certificate_replaces_id').on('certificate').column('replaces_id').execute();

	await db.schema
		.createTable('certificate_reminder')
		.addColumn('certificate_id', 'bigint', (c) => c.notNull().references('certificate.id').onDelete('cascade'))
		.addColumn('days_before', 'integer', (c) => c.notNull().check(sql`days_before IN (90, 30, 7)`))
		.addColumn('sent_at', 'timestamptz', (c) => c.notNull())
		.addPrimaryKeyConstraint('certificate_reminder_pkey', ['certificate_id', 'days_before'])
		.execute();

	await db.schema
		.createTable('certificate_lookup')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('at', 'timestamptz', (c) => c.notNull())
		.addColumn('method', 'text', (c) => c.notNull().check(sql`method IN ('code', 'number')`))
		// What was asked (a code or a number; never the family name typed with it).
		.addColumn('query', 'text', (c) => c.notNull().check(sql`length(query) <= 64`))
		.addColumn('result', 'text', (c) =>
			c.notNull().check(sql`result IN ('valid', 'expired', 'revoked', 'holder_removed', 'unknown', 'mistyped', 'limited')`)
		)
		.addColumn('certificate_id', 'bigint', (c) => c.references('certificate.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('certificate_lookup_at').on('certificate_lookup').column('at').execute();
	await db.schema.createIndex('certificate_lookup_certificate_id').on('certificate_lookup').column('certificate_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('certificate_lookup').execute();
	await db.schema.dropTable('certificate_reminder').execute();
	await db.schema.dropTable('certificate').execute();
	await sql`DROP SEQUENCE certificate_number_seq`.execute(db);
}
