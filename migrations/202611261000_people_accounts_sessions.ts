import { sql, type Kysely } from 'kysely';

// People, their community membership over time, accounts, roles, sessions and throttling counters.
// Frozen once landed. One statement per execute (PGlite).

export async function up(db: Kysely<any>): Promise<void> {
	// A person is not an account: walk-ins, household members and pupils may never log in.
	await db.schema
		.createTable('person')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('family_name', 'text', (c) => c.notNull().check(sql`length(family_name) BETWEEN 1 AND 40`))
		.addColumn('given_name', 'text', (c) => c.notNull().check(sql`length(given_name) BETWEEN 1 AND 40`))
		.addColumn('display_name', 'text', (c) => c.check(sql`length(display_name) BETWEEN 1 AND 40`))
		.addColumn('phone', 'text', (c) => c.check(sql`phone ~ '^1[3-9][0-9]{9}$'`))
		.addColumn('email', 'text', (c) => c.check(sql`email = lower(email) AND length(email) <= 254 AND email LIKE '%_@_%'`))
		.addColumn('birth_year', 'integer', (c) => c.check(sql`birth_year BETWEEN 1900 AND 2100`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await db.schema.createIndex('person_phone').on('person').column('phone').execute();
	await db.schema.createIndex('person_email').on('person').column('email').execute();

	// Statistics stay with the community where things happened: membership is history, not a field.
	await db.schema
		.createTable('community_membership')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('person_id', 'bigint', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('community_id', 'integer', (c) => c.notNull().references('community.id'))
		.addColumn('valid_from', 'date', (c) => c.notNull())
		.addColumn('valid_to', 'date', (c) => c.check(sql`valid_to IS NULL OR valid_to > valid_from`))
		.addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.execute();
	await sql`ALTER TABLE community_membership ADD CONSTRAINT community_membership_no_overlap
		EXCLUDE USING gist (person_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&)`.execute(db);
	await db.schema.createIndex('community_membership_person_id').on('community_membership').column('person_id').execute();
	await db.schema.createIndex('community_membership_community_id').on('community_membership').column('community_id').execute();

	await db.schema
		.createTable('account')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('person_id', 'bigint', (c) => c.notNull().unique().references('person.id').onDelete('cascade'))
		.addColumn('login_phone', 'text', (c) => c.unique().check(sql`login_phone ~ '^1[3-9][0-9]{9}$'`))
		.addColumn('login_email', 'text', (c) => c.unique().check(sql`login_email = lower(login_email)`))
		// Null until the person sets one through a one-time link (walk-ins).
		.addColumn('password_hash', 'text')
		.addColumn('locale', 'text', (c) =>
			c
				.notNull()
				.defaultTo('zh-CN')
				.check(sql`locale IN ('zh-CN', 'en')`)
		)
		.addColumn('large_text', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('privacy_accepted_at', 'timestamptz')
		.addColumn('disabled_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('last_login_at', 'timestamptz')
		.addCheckConstraint('account_has_login', sql`login_phone IS NOT NULL OR login_email IS NOT NULL`)
		.execute();

	await db.schema
		.createTable('account_role')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('account_id', 'bigint', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('resident', 'trainer', 'doctor', 'staff', 'admin')`))
		// Null: everywhere. Otherwise the role holds in that community only.
		.addColumn('community_id', 'integer', (c) => c.references('community.id'))
		.addColumn('granted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
		.addColumn('granted_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.execute();
	await sql`ALTER TABLE account_role ADD CONSTRAINT account_role_once UNIQUE NULLS NOT DISTINCT (account_id, role, community_id)`.execute(
		db
	);
	await db.schema.createIndex('account_role_community_id').on('account_role').column('community_id').execute();
	await db.schema.createIndex('account_role_granted_by').on('account_role').column('granted_by').execute();

	// Lucia's scheme: the cookie carries id.secret; only SHA-256(secret) is stored.
	await db.schema
		.createTable('session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('account_id', 'bigint', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('secret_hash', 'bytea', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('last_verified_at', 'timestamptz', (c) => c.notNull())
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('session_account_id').on('session').column('account_id').execute();

	// Counters for log-in throttling and rate limits, shared by every app server.
	await db.schema
		.createTable('throttle')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('first_at', 'timestamptz', (c) => c.notNull())
		.addColumn('last_at', 'timestamptz', (c) => c.notNull())
		.addColumn('blocked_until', 'timestamptz')
		.execute();
	await db.schema.createIndex('throttle_last_at').on('throttle').column('last_at').execute();

	await db.schema
		.alterTable('audit_log')
		.addForeignKeyConstraint('audit_log_actor_account_fk', ['actor_account_id'], 'account', ['id'])
		.onDelete('set null')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('audit_log').dropConstraint('audit_log_actor_account_fk').execute();
	await db.schema.dropTable('throttle').execute();
	await db.schema.dropTable('session').execute();
	await db.schema.dropTable('account_role').execute();
	await db.schema.dropTable('account').execute();
	await db.schema.dropTable('community_membership').execute();
	await db.schema.dropTable('person').execute();
}
