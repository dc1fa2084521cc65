import { sql, type Kysely } from 'kysely';

// Family doctor studios (家庭医生工作室): studios, doctors, weekly availability and its exceptions,
// and appointments. A booked slot is a booking-core occurrence (programme 'doctor', capacity 1) with
// one reservation; the appointment row beside it carries the doctor and keeps the doctor-level
// exclusion. Frozen once landed. One statement per execute (PGlite).

const SERVICES = `ARRAY['consultation', 'chronic_follow_up', 'health_check', 'three_controls']::text[]`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('doctor_studio')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('community_id', 'integer', (c) => c.notNull().references('community.id'))
		.addColumn('name_zh', 'text', (c) => c.notNull().check(sql`length(name_zh) BETWEEN 1 AND 60`))
		.addColumn('name_en', 'text', (c) => c.notNull().check(sql`length(name_en) BETWEEN 1 AND 80`))
		.addColumn('address_zh', 'text', (c) => c.notNull())
		.addColumn('address_en', 'text', (c) => c.notNull())
		.addColumn('directions_zh', 'text')
		.addColumn('directions_en', 'text')
		.addColumn('phone', 'text')
		.addColumn('step_free', 'boolean', (c) => c.notNull().defaultTo(false))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('doctor_studio_community_id').on('doctor_studio').column('community_id').execute();

	// A doctor is an account holding the doctor role, linked to one studio by staff.
	await db.schema
		.createTable('doctor')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('account_id', 'bigint', (c) => c.notNull().unique().references('account.id'))
		.addColumn('studio_id', 'integer', (c) => c.notNull().references('doctor_studio.id'))
		.addColumn('title_zh', 'text', (c) => c.notNull().check(sql`length(title_zh) BETWEEN 1 AND 40`))
		.addColumn('title_en', 'text', (c) => c.notNull().check(sql`length(title_en) BETWEEN 1 AND 60`))
		.addColumn('services', sql`text[]`, (c) => c.notNull().check(sql.raw(`cardinality(services) >= 1 AND services <@ ${SERVICES}`)))
		.addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('doctor_studio_id').on('doctor').column('studio_id').execute();

	// Weekly hours, in Shanghai wall-clock time, cut into slots of `slot_minutes`.
	await db.schema
		.createTable('doctor_availability')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('doctor_id', 'integer', (c) => c.notNull().references('doctor.id').onDelete('cascade'))
		.addColumn('weekday', 'integer', (c) => c.notNull().check(sql`weekday BETWEEN 1 AND 7`))
		.addColumn('start_time', 'time', (c) => c.notNull())
		.addColumn('end_time', 'time', (c) => c.notNull())
		.addColumn('slot_minutes', 'integer', (c) => c.notNull().check(sql`slot_minutes BETWEEN 5 AND 240`))
		.addColumn('valid_from', 'date', (c) => c.notNull())
		.addColumn('valid_to', 'date', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addCheckConstraint('doctor_availability_order', sql`end_time > start_time AND valid_to >= valid_from`)
		.execute();
	await db.schema.createIndex('doctor_availability_doctor_id').on('doctor_availability').column('doctor_id').execute();

	// Exceptions on one day: 'leave' removes hours (no times: the whole day), 'extra' adds a make-up day's hours.
	await db.schema
		.createTable('doctor_exception')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('doctor_id', 'integer', (c) => c.notNull().references('doctor.id').onDelete('cascade'))
		.addColumn('day', 'date', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind IN ('leave', 'extra')`))
		.addColumn('start_time', 'time')
		.addColumn('end_time', 'time')
		.addColumn('slot_minutes', 'integer', (c) => c.check(sql`slot_minutes BETWEEN 5 AND 240`))
		.addColumn('note', 'text', (c) => c.check(sql`length(note) <= 200`))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addCheckConstraint(
			'doctor_exception_shape',
			sql`(start_time IS NULL) = (end_time IS NULL) AND (end_time IS NULL OR end_time > start_time)
				AND (kind = 'leave' OR (start_time IS NOT NULL AND slot_minutes IS NOT NULL))`
		)
		.execute();
	await db.schema.createIndex('doctor_exception_doctor_day').on('doctor_exception').columns(['doctor_id', 'day']).execute();

	await db.schema
		.createTable('appointment')
		.addColumn('reservation_id', 'bigint', (c) => c.primaryKey().references('reservation.id').onDelete('cascade'))
		.addColumn('doctor_id', 'integer', (c) => c.notNull().references('doctor.id'))
		.addColumn('service', 'text', (c) => c.notNull().check(sql.raw(`service = ANY (${SERVICES})`)))
		.addColumn('reason', 'text', (c) => c.check(sql`length(reason) <= 200`))
		.addColumn('during', sql`tstzrange`, (c) => c.notNull())
		// In step with the reservation's status (trigger below): true while it holds the slot.
		.addColumn('active', 'boolean', (c) => c.notNull())
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('appointment_doctor_id').on('appointment').column('doctor_id').execute();
	// A doctor is never double-booked; cancelled appointments free their time.
	await sql`ALTER TABLE appointment ADD CONSTRAINT appointment_doctor_no_overlap
		EXCLUDE USING gist (doctor_id WITH =, during WITH &&) WHERE (active)`.execute(db);

	await sql
		.raw(
			`CREATE FUNCTION appointment_follows_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE appointment SET active = NEW.status IN ('reserved', 'offered', 'attended')
		WHERE reservation_id = NEW.id AND active IS DISTINCT FROM (NEW.status IN ('reserved', 'offered', 'attended'));
	RETURN NEW;
END
$$`
		)
		.execute(db);
	await sql`CREATE TRIGGER appointment_follows_reservation AFTER UPDATE OF status ON reservation
		FOR EACH ROW EXECUTE FUNCTION appointment_follows_reservation()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`DROP TRIGGER appointment_follows_reservation ON reservation`.execute(db);
	await sql`DROP FUNCTION appointment_follows_reservation()`.execute(db);
	await db.schema.dropTable('appointment').execute();
	await db.schema.dropTable('doctor_exception').execute();
	await db.schema.dropTable('doctor_availability').execute();
	await db.schema.dropTable('doctor').execute();
	await db.schema.dropTable('doctor_studio').execute();
}
