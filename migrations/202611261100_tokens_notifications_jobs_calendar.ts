import { sql, type Kysely } from 'kysely';

// One-time links, the notification inbox and outbox, background jobs and calendar feeds.
// Frozen once landed. One statement per execute (PGlite).

export async function up(db: Kysely<any>): Promise<void> {
	// Password reset and password-setting links: only the SHA-256 of the token is stored.
	await db.schema
		.createTable('one_time_token')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('account_id', 'bigint', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose IN ('password_reset', 'set_password')`))
		.addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.addColumn('used_at', 'timestamptz')
		.addColumn('created_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('one_time_token_account_id').on('one_time_token').column('account_id').execute();
	await db.schema.createIndex('one_time_token_created_by').on('one_time_token').column('created_by').execute();

	// The in-app inbox: a message key and its parameters, rendered in the reader's language.
	await db.schema
		.createTable('notification')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('person_id', 'bigint', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('link', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('read_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('notification_person_created').on('notification').columns(['person_id', 'created_at']).execute();
	await sql`CREATE INDEX notification_unread ON notification (person_id) WHERE read_at IS NULL`.execute(db);

	// What goes out by SMS or e-mail, delivered by the background worker outside any transaction.
	await db.schema
		.createTable('outbox')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('notification_id', 'bigint', (c) => c.references('notification.id').onDelete('cascade'))
		.addColumn('person_id', 'bigint', (c) => c.references('person.id').onDelete('cascade'))
		.addColumn('channel', 'text', (c) => c.notNull().check(sql`channel IN ('sms', 'email')`))
		.addColumn('address', 'text', (c) => c.notNull())
		.addColumn('locale', 'text', (c) => c.notNull().check(sql`locale IN ('zh-CN', 'en')`))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.defaultTo('pending')
				.check(sql`status IN ('pending', 'sending', 'sent', 'failed')`)
		)
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('sent_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
	await db.schema.createIndex('outbox_notification_id').on('outbox').column('notification_id').execute();
	await db.schema.createIndex('outbox_person_id').on('outbox').column('person_id').execute();

	// Background jobs, claimed with FOR UPDATE SKIP LOCKED by whichever app server gets there first.
	await db.schema
		.createTable('job')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
		// The same dedupe key is enqueued once: reminders, periodic sweeps and expiries stay single.
		.addColumn('dedupe_key', 'text', (c) => c.unique())
		.addColumn('run_at', 'timestamptz', (c) => c.notNull())
		.addColumn('status', 'text', (c) =>
			c
				.notNull()
				.defaultTo('pending')
				.check(sql`status IN ('pending', 'running', 'done', 'failed')`)
		)
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('locked_until', 'timestamptz')
		.addColumn('last_error', 'text')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('finished_at', 'timestamptz')
		.execute();
	await db.schema.createIndex('job_due').on('job').columns(['status', 'run_at']).execute();

	// A person's calendar subscription: the secret in the URL, only its hash here.
	await db.schema
		.createTable('calendar_feed')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('person_id', 'bigint', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('secret_hash', 'bytea', (c) => c.notNull().unique())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('revoked_at', 'timestamptz')
		.execute();
	await sql`CREATE UNIQUE INDEX calendar_feed_one_active ON calendar_feed (person_id) WHERE revoked_at IS NULL`.execute(db);
	await db.schema.createIndex('calendar_feed_person_id').on('calendar_feed').column('person_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('calendar_feed').execute();
	await db.schema.dropTable('job').execute();
	await db.schema.dropTable('outbox').execute();
	await db.schema.dropTable('notification').execute();
	await db.schema.dropTable('one_time_token').execute();
}
