import type { Kysely } from 'kysely';

// Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
// logged in to an account before carries `<id>.<secret>`; only SHA-256(secret) is kept. A correct
// password from such a browser is not held up by failures made elsewhere. Frozen once landed.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('device_cookie')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('account_id', 'bigint', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('secret_hash', 'bytea', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('expires_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('device_cookie_account_id').on('device_cookie').column('account_id').execute();
	await db.schema.createIndex('device_cookie_expires_at').on('device_cookie').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('device_cookie').execute();
}
