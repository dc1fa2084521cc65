import { sql, type Kysely } from 'kysely';

// The shared booking core: programmes with their rules, bookable occurrences, reservations with one
// status list, and the history of every change. Frozen once landed. One statement per execute.

const HOLDING = `('reserved', 'offered', 'attended')`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('programme')
		.addColumn('code', 'text', (c) => c.primaryKey().check(sql`code IN ('doctor', 'fitness', 'training')`))
		.addColumn('horizon_days', 'integer', (c) => c.notNull().check(sql`horizon_days BETWEEN 1 AND 366`))
		.addColumn('min_notice_minutes', 'integer', (c) => c.notNull().check(sql`min_notice_minutes >= 0`))
		.addColumn('cancel_cutoff_minutes', 'integer', (c) => c.notNull().check(sql`cancel_cutoff_minutes >= 0`))
		.addColumn('max_upcoming', 'integer', (c) => c.notNull().check(sql`max_upcoming >= 1`))
		.addColumn('waitlist', 'boolean', (c) => c.notNull())
		.addColumn('offer_hours', 'integer', (c) =>
			c
				.notNull()
				.defaultTo(12)
				.check(sql`offer_hours BETWEEN 1 AND 168`)
		)
		.execute();
	await sql`INSERT INTO programme (code, horizon_days, min_notice_minutes, cancel_cutoff_minutes, max_upcoming, waitlist, offer_hours) VALUES
		('doctor', 14, 60, 120, 2, false, 12),
		('fitness', 14, 0, 120, 6, true, 12),
		('training', 90, 0, 1440, 3, true, 12)`.execute(db);

	// Something with a time and a number of places: a doctor's slot, a fitness session, a training.
	await db.schema
		.createTable('occurrence')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('programme', 'text', (c) => c.notNull().references('programme.code'))
		.addColumn('community_id', 'integer', (c) => c.references('community.id'))
		.addColumn('title_zh', 'text', (c) => c.notNull())
		.addColumn('title_en', 'text', (c) => c.notNull())
		.addColumn('location_zh', 'text')
		.addColumn('location_en', 'text')
		.addColumn('starts_at', 'timestamptz', (c) => c.notNull())
		.addColumn('ends_at', 'timestamptz', (c) => c.notNull())
		.addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity BETWEEN 1 AND 10000`))
		.addColumn('cancelled_at', 'timestamptz')
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addCheckConstraint('occurrence_ends_after_start', sql`ends_at > starts_at`)
		.execute();
	await db.schema.createIndex('occurrence_programme_starts').on('occurrence').columns(['programme', 'starts_at']).execute();
	await db.schema.createIndex('occurrence_community_id').on('occurrence').column('community_id').execute();

	await db.schema
		.createTable('reservation')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('occurrence_id', 'bigint', (c) => c.notNull().references('occurrence.id').onDelete('cascade'))
		.addColumn('person_id', 'bigint', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status IN ('reserved', 'waitlisted', 'offered', 'cancelled', 'late_cancelled', 'attended', 'no_show')`)
		)
		// A copy of the occurrence's time, so that the exclusion constraint can see it.
		.addColumn('during', sql`tstzrange`, (c) => c.notNull())
		.addColumn('waitlisted_at', 'timestamptz')
		.addColumn('offer_expires_at', 'timestamptz')
		.addColumn('checked_in_at', 'timestamptz')
		.addColumn('reminder_sent_at', 'timestamptz')
		.addColumn('booked_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('created_at', 'timestamptz', (c) => c.notNull())
		.addColumn('updated_at', 'timestamptz', (c) => c.notNull())
		.addCheckConstraint('reservation_offer_has_deadline', sql`status <> 'offered' OR offer_expires_at IS NOT NULL`)
		.execute();
	// One live reservation of an occurrence per person (cancelled ones do not count: they may book again).
	await sql`CREATE UNIQUE INDEX reservation_once_per_person ON reservation (occurrence_id, person_id)
		WHERE status IN ('reserved', 'waitlisted', 'offered', 'attended', 'no_show')`.execute(db);
	// A person never holds two places whose times overlap, in any programme.
	await sql
		.raw(
			`ALTER TABLE reservation ADD CONSTRAINT reservation_no_overlap
		EXCLUDE USING gist (person_id WITH =, during WITH &&) WHERE (status IN ${HOLDING})`
		)
		.execute(db);
	await db.schema.createIndex('reservation_occurrence_status').on('reservation').columns(['occurrence_id', 'status']).execute();
	await db.schema.createIndex('reservation_person_id').on('reservation').column('person_id').execute();
	await db.schema.createIndex('reservation_booked_by').on('reservation').column('booked_by').execute();
	await sql`CREATE INDEX reservation_offers_due ON reservation (offer_expires_at) WHERE status = 'offered'`.execute(db);

	// Capacity is the database's to keep: a place is taken only while the occurrence row is locked
	// and fewer than `capacity` places are held — whoever writes the row, the app or raw SQL.
	await sql
		.raw(
			`CREATE FUNCTION reservation_within_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	places integer;
	held integer;
BEGIN
	IF NEW.status NOT IN ${HOLDING} THEN
		RETURN NEW;
	END IF;
	IF TG_OP = 'UPDATE' AND OLD.status IN ${HOLDING} AND OLD.occurrence_id = NEW.occurrence_id THEN
		RETURN NEW;
	END IF;
	SELECT capacity INTO places FROM occurrence WHERE id = NEW.occurrence_id FOR UPDATE;
	SELECT count(*) INTO held FROM reservation
		WHERE occurrence_id = NEW.occurrence_id AND status IN ${HOLDING} AND id <> NEW.id;
	IF held >= places THEN
		RAISE EXCEPTION 'occurrence % is full', NEW.occurrence_id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'reservation_capacity';
	END IF;
	RETURN NEW;
END
$$`
		)
		.execute(db);
	await sql`CREATE TRIGGER reservation_capacity BEFORE INSERT OR UPDATE OF status, occurrence_id ON reservation
		FOR EACH ROW EXECUTE FUNCTION reservation_within_capacity()`.execute(db);

	// Every change of a reservation: who, when, why.
	await db.schema
		.createTable('reservation_event')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('reservation_id', 'bigint', (c) => c.notNull().references('reservation.id').onDelete('cascade'))
		.addColumn('at', 'timestamptz', (c) => c.notNull())
		.addColumn('from_status', 'text')
		.addColumn('to_status', 'text', (c) => c.notNull())
		.addColumn('actor_account_id', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('reservation_event_reservation_id').on('reservation_event').column('reservation_id').execute();
	await db.schema.createIndex('reservation_event_actor_account_id').on('reservation_event').column('actor_account_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('reservation_event').execute();
	await sql`DROP TRIGGER reservation_capacity ON reservation`.execute(db);
	await db.schema.dropTable('reservation').execute();
	await sql`DROP FUNCTION reservation_within_capacity()`.execute(db);
	await db.schema.dropTable('occurrence').execute();
	await db.schema.dropTable('programme').execute();
}
