import { sql, type Kysely } from 'kysely';

// Households (a resident looks after family members, who may have no account) and the erasure of a
// person who deleted their account. Frozen once landed. One statement per execute (PGlite).

export async function up(db: Kysely<any>): Promise<void> {
	// A link from a carer to a member they look after. `requested`: waiting for the member's account
	// to accept; `active`: consent recorded (who agreed, when). Ending a link sets valid_to: history
	// stays, so past bookings still show who made them.
	await db.schema
		.createTable('household_link')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('carer_person_id', 'bigint', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('member_person_id', 'bigint', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('requested', 'active', 'declined')`))
		.addColumn('requested_at', 'timestamptz', (c) => c.notNull())
		.addColumn('requested_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		// Who agreed to the link: the member themself (accepting from their account, or telling the
		// carer who records it for a member without an account).
		.addColumn('consent_by_person_id', 'bigint', (c) => c.references('person.id').onDelete('set null'))
		.addColumn('consent_recorded_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('consent_at', 'timestamptz')
		.addColumn('valid_to', 'timestamptz')
		.addColumn('ended_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addCheckConstraint('household_link_not_self', sql`carer_person_id <> member_person_id`)
		.addCheckConstraint('household_link_consent', sql`status <> 'active' OR (consent_by_person_id IS NOT NULL AND consent_at IS NOT NULL)`)
		.execute();
	await sql`CREATE UNIQUE INDEX household_link_once ON household_link (carer_person_id, member_person_id) WHERE valid_to IS NULL AND status IN ('requested', 'active')`.execute(
		db
	);
	await db.schema.createIndex('household_link_member').on('household_link').column('member_person_id').execute();
	await db.schema.createIndex('household_link_consent_by').on('household_link').column('consent_by_person_id').execute();
	await db.schema.createIndex('household_link_requested_by').on('household_link').column('requested_by').execute();
	await db.schema.createIndex('household_link_consent_recorded_by').on('household_link').column('consent_recorded_by').execute();
	await db.schema.createIndex('household_link_ended_by').on('household_link').column('ended_by').execute();

	// Set when the person deleted their account: the row stays (statistics keep their counts), its
	// personal data is gone, and their certificates verify as "holder removed".
	await db.schema.alterTable('person').addColumn('erased_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('person').dropColumn('erased_at').execute();
	await db.schema.dropTable('household_link').execute();
}
