import { sql, type Kysely } from 'kysely';

// The expiring-certificates list of the coverage page counts and pages people by their current
// community. Joining every expiring row to community_membership on each request cost a scan of
// the membership and certificate tables (≈ 20 ms at district scale); instead coverage_person keeps
// the person's current community (null: none on record), set by the same recount that every
// certificate and community change already runs. Frozen once landed. One statement per execute (PGlite).

/**
 * The person's coverage recount (as in 202611261700_participation), with or without keeping their
 * current community in coverage_person.
 */
function refreshFunction(withCommunity: boolean) {
	const columns = withCommunity ? 'person_id, certificate_id, valid_until, community_id' : 'person_id, certificate_id, valid_until';
	const community = withCommunity
		? `,
			(SELECT community_id FROM community_membership WHERE person_id = p AND valid_to IS NULL LIMIT 1)`
		: '';
	return sql.raw(`CREATE OR REPLACE FUNCTION coverage_refresh_person(p bigint) RETURNS void LANGUAGE plpgsql AS $$
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
	INSERT INTO coverage_person (${columns})
		SELECT p, c.id, c.valid_until${community}
		FROM certificate c JOIN training_course tc ON tc.id = c.course_id
		WHERE c.person_id = p AND c.revoked_at IS NULL AND tc.counts_toward_coverage
		ORDER BY c.valid_until DESC, c.id DESC LIMIT 1;
END
$$`);
}

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('coverage_person').addColumn('community_id', 'integer').execute();
	await sql`UPDATE coverage_person cp SET community_id = m.community_id
		FROM community_membership m WHERE m.person_id = cp.person_id AND m.valid_to IS NULL`.execute(db);
	// Counted and paged per community off the index alone; the district's list reads the
	// (valid_until, person_id) index that exists.
	await sql`CREATE INDEX coverage_person_community ON coverage_person (community_id, valid_until, person_id)`.execute(db);

	await refreshFunction(true).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
	await refreshFunction(false).execute(db);
	await sql`DROP INDEX coverage_person_community`.execute(db);
	await db.schema.alterTable('coverage_person').dropColumn('community_id').execute();
}
