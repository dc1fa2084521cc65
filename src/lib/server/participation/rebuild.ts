/**
 * Recounts every participation and coverage aggregate from the records, set-based, in one
 * transaction. The triggers keep the aggregates in step one change at a time; this is for data
 * written with the triggers off (the large generated data set) and for checking the triggers
 * (the tests compare both ways).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

const HELD = `(r.status IN ('reserved', 'offered', 'attended', 'no_show', 'late_cancelled') OR (r.status = 'cancelled' AND r.waitlisted_at IS NULL))`;

const STATEMENTS = [
	`DELETE FROM participation_person_month`,
	`DELETE FROM participation_month`,
	`DELETE FROM coverage_person_month`,
	`DELETE FROM coverage_month`,
	`DELETE FROM coverage_person`,
	// Person-side figures per community (the person's community on the day the occurrence starts).
	`INSERT INTO participation_person_month (person_id, month, programme, community_id, made, attended, no_show, late_cancelled, waitlisted)
	 SELECT r.person_id, date_trunc('month', o.starts_at AT TIME ZONE 'Asia/Shanghai')::date, o.programme,
		coalesce(m.community_id, 0),
		count(*) FILTER (WHERE ${HELD}), count(*) FILTER (WHERE r.status = 'attended'), count(*) FILTER (WHERE r.status = 'no_show'),
		count(*) FILTER (WHERE r.status = 'late_cancelled'), count(*) FILTER (WHERE r.waitlisted_at IS NOT NULL)
	 FROM reservation r JOIN occurrence o ON o.id = r.occurrence_id
	 LEFT JOIN community_membership m ON m.person_id = r.person_id
		AND m.valid_from <= (o.starts_at AT TIME ZONE 'Asia/Shanghai')::date
		AND (m.valid_to IS NULL OR m.valid_to > (o.starts_at AT TIME ZONE 'Asia/Shanghai')::date)
	 GROUP BY 1, 2, 3, 4`,
	// The district rows (-1): the same per person whatever their community.
	`INSERT INTO participation_person_month (person_id, month, programme, community_id, made, attended, no_show, late_cancelled, waitlisted)
	 SELECT person_id, month, programme, -1, sum(made), sum(attended), sum(no_show), sum(late_cancelled), sum(waitlisted)
	 FROM participation_person_month GROUP BY 1, 2, 3`,
	`INSERT INTO participation_month (month, community_id, programme, made, attended, no_show, late_cancelled, participants, waitlisters)
	 SELECT month, community_id, programme, sum(made), sum(attended), sum(no_show), sum(late_cancelled),
		count(*) FILTER (WHERE attended > 0), count(*) FILTER (WHERE waitlisted > 0)
	 FROM participation_person_month GROUP BY 1, 2, 3`,
	`INSERT INTO participation_month (month, community_id, programme, places, places_attended)
	 SELECT date_trunc('month', o.starts_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(o.community_id, 0), o.programme,
		sum(o.capacity) FILTER (WHERE o.cancelled_at IS NULL), coalesce(sum(a.n), 0)
	 FROM occurrence o LEFT JOIN (SELECT occurrence_id, count(*) AS n FROM reservation WHERE status = 'attended' GROUP BY 1) a
		ON a.occurrence_id = o.id
	 GROUP BY 1, 2, 3`,
	`UPDATE participation_month SET places = 0 WHERE places IS NULL`,
	`INSERT INTO coverage_person_month (person_id, month, community_id)
	 SELECT DISTINCT ON (c.person_id, gs) c.person_id, gs::date, coalesce(m.community_id, 0)
	 FROM certificate c JOIN training_course tc ON tc.id = c.course_id
	 CROSS JOIN generate_series(date_trunc('month', c.trained_on), date_trunc('month', c.valid_until), interval '1 month') gs
	 LEFT JOIN community_membership m ON m.person_id = c.person_id
		AND m.valid_from <= (gs + interval '1 month - 1 day')::date
		AND (m.valid_to IS NULL OR m.valid_to > (gs + interval '1 month - 1 day')::date)
	 WHERE c.revoked_at IS NULL AND tc.counts_toward_coverage
		AND (gs + interval '1 month - 1 day')::date BETWEEN c.trained_on AND c.valid_until
	 ORDER BY c.person_id, gs`,
	`INSERT INTO coverage_month (month, community_id, holders)
	 SELECT month, community_id, count(*) FROM coverage_person_month GROUP BY 1, 2`,
	`INSERT INTO coverage_person (person_id, certificate_id, valid_until, community_id)
	 SELECT DISTINCT ON (c.person_id) c.person_id, c.id, c.valid_until, m.community_id
	 FROM certificate c JOIN training_course tc ON tc.id = c.course_id
	 LEFT JOIN community_membership m ON m.person_id = c.person_id AND m.valid_to IS NULL
	 WHERE c.revoked_at IS NULL AND tc.counts_toward_coverage
	 ORDER BY c.person_id, c.valid_until DESC, c.id DESC`
];

export async function rebuildAggregates(db: Kysely<Database>): Promise<void> {
	await db.transaction().execute(async (trx) => {
		for (const statement of STATEMENTS) await sql.raw(statement).execute(trx);
	});
}
