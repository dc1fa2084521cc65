import { sql, type Kysely } from 'kysely';

// Participation tracking (PRODUCT §8): monthly aggregates of reservations and of first-aid coverage,
// kept in step by triggers in the same transaction as the change they count, and the coverage
// targets staff set. Frozen once landed. One statement per execute (PGlite).
//
// Two layers per figure:
// - a bookkeeping table per person and month (participation_person_month, coverage_person_month):
//   what this person contributes, so a change can be taken back exactly; only the person's own
//   rows are locked, so bookings of different people never wait for each other here;
// - a table of monthly deltas (participation_month, coverage_month) that triggers only append to
//   (no hot row to lock, no deadlock between transactions touching several communities), summed
//   when read and folded into one row per key by compactParticipation() from time to time.
// Community 0 means "no community on record at that time", -1 "the whole district" (person-side
// figures only, so that someone who moved within a month counts once); no foreign key on purpose.

// "Reservations made": every reservation that held a place at some time. A waitlist entry that was
// withdrawn (cancelled while still waiting, waitlisted_at set) never held one.
const held = (r = '') =>
	`(${r}status IN ('reserved', 'offered', 'attended', 'no_show', 'late_cancelled') OR (${r}status = 'cancelled' AND ${r}waitlisted_at IS NULL))`;

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('participation_person_month')
		.addColumn('person_id', 'bigint', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('month', 'date', (c) => c.notNull())
		.addColumn('programme', 'text', (c) => c.notNull())
		.addColumn('community_id', 'integer', (c) => c.notNull())
		.addColumn('made', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('attended', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('no_show', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('late_cancelled', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('waitlisted', 'integer', (c) => c.notNull().defaultTo(0))
		.addPrimaryKeyConstraint('participation_person_month_pkey', ['person_id', 'month', 'programme', 'community_id'])
		.execute();

	await db.schema
		.createTable('participation_month')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('month', 'date', (c) => c.notNull())
		.addColumn('community_id', 'integer', (c) => c.notNull())
		.addColumn('programme', 'text', (c) => c.notNull())
		.addColumn('made', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('attended', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('no_show', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('late_cancelled', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('participants', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('waitlisters', 'integer', (c) => c.notNull().defaultTo(0))
		// By the occurrence's community (not the person's): places offered and places used.
		.addColumn('places', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('places_attended', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.createIndex('participation_month_month').on('participation_month').columns(['month', 'community_id']).execute();

	await db.schema
		.createTable('coverage_person_month')
		.addColumn('person_id', 'bigint', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('month', 'date', (c) => c.notNull())
		.addColumn('community_id', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('coverage_person_month_pkey', ['person_id', 'month'])
		.execute();

	await db.schema
		.createTable('coverage_month')
		.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('month', 'date', (c) => c.notNull())
		.addColumn('community_id', 'integer', (c) => c.notNull())
		.addColumn('holders', 'integer', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('coverage_month_month').on('coverage_month').columns(['month', 'community_id']).execute();

	// Until when each person is covered: their latest valid certificate of a counting course. The
	// expiring list is "people whose cover ends within 90 days", read off an index.
	await db.schema
		.createTable('coverage_person')
		.addColumn('person_id', 'bigint', (c) => c.primaryKey().references('person.id').onDelete('cascade'))
		.addColumn('certificate_id', 'bigint', (c) => c.notNull().references('certificate.id').onDelete('cascade'))
		.addColumn('valid_until', 'date', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('coverage_person_valid_until').on('coverage_person').columns(['valid_until', 'person_id']).execute();
	await db.schema.createIndex('coverage_person_certificate_id').on('coverage_person').column('certificate_id').execute();

	// The coverage target staff set, per community (null: the whole district).
	await db.schema
		.createTable('coverage_target')
		.addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
		.addColumn('community_id', 'integer', (c) => c.references('community.id').onDelete('cascade'))
		.addColumn('target_percent', sql`numeric(5,2)`, (c) => c.notNull().check(sql`target_percent > 0 AND target_percent <= 100`))
		.addColumn('set_by', 'bigint', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('set_at', 'timestamptz', (c) => c.notNull())
		.execute();
	await sql`CREATE UNIQUE INDEX coverage_target_once ON coverage_target (community_id) NULLS NOT DISTINCT`.execute(db);
	await db.schema.createIndex('coverage_target_set_by').on('coverage_target').column('set_by').execute();

	// Certificates expiring soon, and the refresher notices sent, are looked up by these.
	await db.schema.createIndex('certificate_valid_until').on('certificate').column('valid_until').execute();
	await sql`CREATE INDEX certificate_person_valid ON certificate (person_id, valid_until) WHERE revoked_at IS NULL`.execute(db);
	await sql`CREATE INDEX community_membership_current ON community_membership (person_id) INCLUDE (community_id) WHERE valid_to IS NULL`.execute(
		db
	);
	await db.schema.createIndex('notification_person_kind').on('notification').columns(['person_id', 'kind', 'created_at']).execute();

	// One person's community on a date; 0 when none is on record.
	await sql`CREATE FUNCTION community_on(p bigint, d date) RETURNS integer LANGUAGE sql STABLE AS $$
		SELECT coalesce((SELECT community_id FROM community_membership
			WHERE person_id = p AND valid_from <= d AND (valid_to IS NULL OR valid_to > d) LIMIT 1), 0)
	$$`.execute(db);

	// Adds (sign 1) or takes back (sign -1) what one reservation contributes to the figures.
	await sql
		.raw(
			`CREATE FUNCTION participation_apply(p bigint, prog text, starts timestamptz, occ_community integer,
	status text, waitlisted_at timestamptz, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	m date := date_trunc('month', starts AT TIME ZONE 'Asia/Shanghai')::date;
	c integer := community_on(p, (starts AT TIME ZONE 'Asia/Shanghai')::date);
	made integer := CASE WHEN ${held()} THEN sign ELSE 0 END;
	att integer := CASE WHEN status = 'attended' THEN sign ELSE 0 END;
	ns integer := CASE WHEN status = 'no_show' THEN sign ELSE 0 END;
	lc integer := CASE WHEN status = 'late_cancelled' THEN sign ELSE 0 END;
	wl integer := CASE WHEN waitlisted_at IS NOT NULL THEN sign ELSE 0 END;
	c_key integer;
	new_att integer;
	new_wl integer;
BEGIN
	-- Serialises with a recount of the same person (participation_refresh_person).
	PERFORM pg_advisory_xact_lock(7002, p::integer);
	-- Once in the person's community, once for the whole district (-1): someone who moved in the
	-- middle of a month is one participant of the district, not two.
	FOREACH c_key IN ARRAY ARRAY[c, -1] LOOP
		INSERT INTO participation_person_month AS t (person_id, month, programme, community_id, made, attended, no_show, late_cancelled, waitlisted)
			VALUES (p, m, prog, c_key, made, att, ns, lc, wl)
			ON CONFLICT (person_id, month, programme, community_id) DO UPDATE SET
				made = t.made + EXCLUDED.made, attended = t.attended + EXCLUDED.attended, no_show = t.no_show + EXCLUDED.no_show,
				late_cancelled = t.late_cancelled + EXCLUDED.late_cancelled, waitlisted = t.waitlisted + EXCLUDED.waitlisted
			RETURNING t.attended, t.waitlisted INTO new_att, new_wl;
		INSERT INTO participation_month (month, community_id, programme, made, attended, no_show, late_cancelled, participants, waitlisters)
			VALUES (m, c_key, prog, made, att, ns, lc,
				(new_att > 0)::integer - (new_att - att > 0)::integer,
				(new_wl > 0)::integer - (new_wl - wl > 0)::integer);
	END LOOP;
	IF att <> 0 THEN
		INSERT INTO participation_month (month, community_id, programme, places_attended)
			VALUES (m, coalesce(occ_community, 0), prog, att);
	END IF;
END
$$`
		)
		.execute(db);

	await sql
		.raw(
			`CREATE FUNCTION participation_reservation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	o record;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		SELECT programme, starts_at, community_id INTO o FROM occurrence WHERE id = OLD.occurrence_id;
		-- Gone with its occurrence: the occurrence's own trigger took its figures back already.
		IF FOUND THEN
			PERFORM participation_apply(OLD.person_id, o.programme, o.starts_at, o.community_id, OLD.status, OLD.waitlisted_at, -1);
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		SELECT programme, starts_at, community_id INTO o FROM occurrence WHERE id = NEW.occurrence_id;
		PERFORM participation_apply(NEW.person_id, o.programme, o.starts_at, o.community_id, NEW.status, NEW.waitlisted_at, 1);
	END IF;
	RETURN NULL;
END
$$`
		)
		.execute(db);
	await sql`CREATE TRIGGER participation_reservation AFTER INSERT OR DELETE OR UPDATE OF status, occurrence_id, person_id, waitlisted_at
		ON reservation FOR EACH ROW EXECUTE FUNCTION participation_reservation_changed()`.execute(db);

	// Places offered follow the occurrence; a moved occurrence moves its reservations' figures.
	await sql
		.raw(
			`CREATE FUNCTION participation_occurrence_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	r record;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		IF OLD.cancelled_at IS NULL THEN
			INSERT INTO participation_month (month, community_id, programme, places)
				VALUES (date_trunc('month', OLD.starts_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(OLD.community_id, 0), OLD.programme, -OLD.capacity);
		END IF;
		IF TG_OP = 'DELETE' OR OLD.starts_at <> NEW.starts_at OR OLD.programme <> NEW.programme
			OR OLD.community_id IS DISTINCT FROM NEW.community_id THEN
			FOR r IN SELECT person_id, status, waitlisted_at FROM reservation WHERE occurrence_id = OLD.id LOOP
				PERFORM participation_apply(r.person_id, OLD.programme, OLD.starts_at, OLD.community_id, r.status, r.waitlisted_at, -1);
				IF TG_OP = 'UPDATE' THEN
					PERFORM participation_apply(r.person_id, NEW.programme, NEW.starts_at, NEW.community_id, r.status, r.waitlisted_at, 1);
				END IF;
			END LOOP;
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.cancelled_at IS NULL THEN
		INSERT INTO participation_month (month, community_id, programme, places)
			VALUES (date_trunc('month', NEW.starts_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(NEW.community_id, 0), NEW.programme, NEW.capacity);
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NULL;
END
$$`
		)
		.execute(db);
	// BEFORE DELETE: the reservations are still there to be taken back (the cascade removes them after).
	await sql`CREATE TRIGGER participation_occurrence_delete BEFORE DELETE ON occurrence
		FOR EACH ROW EXECUTE FUNCTION participation_occurrence_changed()`.execute(db);
	await sql`CREATE TRIGGER participation_occurrence AFTER INSERT OR UPDATE OF starts_at, programme, community_id, capacity, cancelled_at
		ON occurrence FOR EACH ROW EXECUTE FUNCTION participation_occurrence_changed()`.execute(db);

	// A person's figures are recounted from scratch when their community history changes: what the
	// bookkeeping says they contributed is taken back, then their reservations are counted again.
	await sql
		.raw(
			`CREATE FUNCTION participation_refresh_person(p bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(7002, p::integer);
	INSERT INTO participation_month (month, community_id, programme, made, attended, no_show, late_cancelled, participants, waitlisters)
		SELECT month, community_id, programme, -made, -attended, -no_show, -late_cancelled, -(attended > 0)::integer, -(waitlisted > 0)::integer
		FROM participation_person_month WHERE person_id = p AND community_id <> -1;
	DELETE FROM participation_person_month WHERE person_id = p AND community_id <> -1;
	INSERT INTO participation_person_month (person_id, month, programme, community_id, made, attended, no_show, late_cancelled, waitlisted)
		SELECT p, date_trunc('month', o.starts_at AT TIME ZONE 'Asia/Shanghai')::date, o.programme,
			community_on(p, (o.starts_at AT TIME ZONE 'Asia/Shanghai')::date),
			count(*) FILTER (WHERE ${held('r.')}),
			count(*) FILTER (WHERE r.status = 'attended'), count(*) FILTER (WHERE r.status = 'no_show'),
			count(*) FILTER (WHERE r.status = 'late_cancelled'), count(*) FILTER (WHERE r.waitlisted_at IS NOT NULL)
		FROM reservation r JOIN occurrence o ON o.id = r.occurrence_id WHERE r.person_id = p
		GROUP BY 2, 3, 4;
	INSERT INTO participation_month (month, community_id, programme, made, attended, no_show, late_cancelled, participants, waitlisters)
		SELECT month, community_id, programme, made, attended, no_show, late_cancelled, (attended > 0)::integer, (waitlisted > 0)::integer
		FROM participation_person_month WHERE person_id = p AND community_id <> -1;
END
$$`
		)
		.execute(db);

	// Coverage: the months at whose last day the person held a valid certificate of a course that
	// counts, each with the person's community on that day. Revoked certificates never count.
	await sql
		.raw(
			`CREATE FUNCTION coverage_refresh_person(p bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	-- Two recounts of one person at once would each take back what the other counted.
	PERFORM pg_advisory_xact_lock(7003, p::integer);
	INSERT INTO coverage_month (month, community_id, holders)
		SELECT month, community_id, -1 FROM coverage_person_month WHERE person_id = p;
	DELETE FROM coverage_person_month WHERE person_id = p;
	INSERT INTO coverage_person_month (person_id, month, community_id)
		SELECT p, m.month, community_on(p, (m.month + interval '1 month - 1 day')::date)
		FROM (SELECT DISTINCT gs::date AS month
			FROM certificate c JOIN training_course tc ON tc.id = c.course_id,
			generate_series(date_trunc('month', c.trained_on), date_trunc('month', c.valid_until), interval '1 month') gs
			WHERE c.person_id = p AND c.revoked_at IS NULL AND tc.counts_toward_coverage
				AND (gs + interval '1 month - 1 day')::date BETWEEN c.trained_on AND c.valid_until) m;
	INSERT INTO coverage_month (month, community_id, holders)
		SELECT month, community_id, 1 FROM coverage_person_month WHERE person_id = p;
	DELETE FROM coverage_person WHERE person_id = p;
	INSERT INTO coverage_person (person_id, certificate_id, valid_until)
		SELECT p, c.id, c.valid_until FROM certificate c JOIN training_course tc ON tc.id = c.course_id
		WHERE c.person_id = p AND c.revoked_at IS NULL AND tc.counts_toward_coverage
		ORDER BY c.valid_until DESC, c.id DESC LIMIT 1;
END
$$`
		)
		.execute(db);

	await sql
		.raw(
			`CREATE FUNCTION participation_membership_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM participation_refresh_person(OLD.person_id);
		PERFORM coverage_refresh_person(OLD.person_id);
	END IF;
	IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.person_id <> OLD.person_id) THEN
		PERFORM participation_refresh_person(NEW.person_id);
		PERFORM coverage_refresh_person(NEW.person_id);
	END IF;
	RETURN NULL;
END
$$`
		)
		.execute(db);
	await sql`CREATE TRIGGER participation_membership AFTER INSERT OR DELETE OR UPDATE OF person_id, community_id, valid_from, valid_to
		ON community_membership FOR EACH ROW EXECUTE FUNCTION participation_membership_changed()`.execute(db);

	await sql
		.raw(
			`CREATE FUNCTION coverage_certificate_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM coverage_refresh_person(OLD.person_id);
	END IF;
	IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.person_id <> OLD.person_id) THEN
		PERFORM coverage_refresh_person(NEW.person_id);
	END IF;
	RETURN NULL;
END
$$`
		)
		.execute(db);
	await sql`CREATE TRIGGER coverage_certificate AFTER INSERT OR DELETE OR UPDATE OF person_id, course_id, trained_on, valid_until, revoked_at
		ON certificate FOR EACH ROW EXECUTE FUNCTION coverage_certificate_changed()`.execute(db);

	// A course that starts or stops counting changes everyone who holds one of its certificates.
	await sql
		.raw(
			`CREATE FUNCTION coverage_course_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	p bigint;
BEGIN
	IF OLD.counts_toward_coverage IS DISTINCT FROM NEW.counts_toward_coverage THEN
		FOR p IN SELECT DISTINCT person_id FROM certificate WHERE course_id = NEW.id LOOP
			PERFORM coverage_refresh_person(p);
		END LOOP;
	END IF;
	RETURN NULL;
END
$$`
		)
		.execute(db);
	await sql`CREATE TRIGGER coverage_course AFTER UPDATE OF counts_toward_coverage ON training_course
		FOR EACH ROW EXECUTE FUNCTION coverage_course_changed()`.execute(db);

	// Whatever already happened before this migration is counted once, here.
	await sql
		.raw(
			`INSERT INTO participation_month (month, community_id, programme, places)
		SELECT date_trunc('month', starts_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(community_id, 0), programme, sum(capacity)
		FROM occurrence WHERE cancelled_at IS NULL GROUP BY 1, 2, 3`
		)
		.execute(db);
	await sql`SELECT participation_apply(r.person_id, o.programme, o.starts_at, o.community_id, r.status, r.waitlisted_at, 1)
		FROM reservation r JOIN occurrence o ON o.id = r.occurrence_id ORDER BY r.id`.execute(db);
	await sql`SELECT coverage_refresh_person(id) FROM person WHERE id IN (SELECT person_id FROM certificate)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await sql`DROP TRIGGER coverage_course ON training_course`.execute(db);
	await sql`DROP FUNCTION coverage_course_changed()`.execute(db);
	await sql`DROP TRIGGER coverage_certificate ON certificate`.execute(db);
	await sql`DROP FUNCTION coverage_certificate_changed()`.execute(db);
	await sql`DROP TRIGGER participation_membership ON community_membership`.execute(db);
	await sql`DROP FUNCTION participation_membership_changed()`.execute(db);
	await sql`DROP FUNCTION coverage_refresh_person(bigint)`.execute(db);
	await sql`DROP FUNCTION participation_refresh_person(bigint)`.execute(db);
	await sql`DROP TRIGGER participation_occurrence ON occurrence`.execute(db);
	await sql`DROP TRIGGER participation_occurrence_delete ON occurrence`.execute(db);
	await sql`DROP FUNCTION participation_occurrence_changed()`.execute(db);
	await sql`DROP TRIGGER participation_reservation ON reservation`.execute(db);
	await sql`DROP FUNCTION participation_reservation_changed()`.execute(db);
	await sql`DROP FUNCTION participation_apply(bigint, text, timestamptz, integer, text, timestamptz, integer)`.execute(db);
	await sql`DROP FUNCTION community_on(bigint, date)`.execute(db);
	await db.schema.dropIndex('notification_person_kind').execute();
	await db.schema.dropIndex('community_membership_current').execute();
	await db.schema.dropIndex('certificate_person_valid').execute();
	await db.schema.dropIndex('certificate_valid_until').execute();
	await db.schema.dropTable('coverage_target').execute();
	await db.schema.dropTable('coverage_month').execute();
	await db.schema.dropTable('coverage_person').execute();
	await db.schema.dropTable('coverage_person_month').execute();
	await db.schema.dropTable('participation_month').execute();
	await db.schema.dropTable('participation_person_month').execute();
}
