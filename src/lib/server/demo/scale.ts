/**
 * A district-sized data set for measuring the participation pages, generated in SQL —
 * never through the app (one argon2 hash per account would take hours). People, memberships
 * (some move community mid-way), occurrences of the three programmes over the last three years,
 * reservations with every status, certificates from attended trainings; the triggers are off while
 * rows pour in, and the aggregates are recounted set-based at the end (rebuildAggregates).
 *
 * No person overlaps their own reservations: reservation r (in start order) belongs to person
 * r mod N, so a person's next reservation is N reservations — weeks — later.
 */
import { sql, type Kysely } from 'kysely';
import { addDays, today } from '../clock';
import type { Database } from '../db/schema';
import { rebuildAggregates } from '../participation/rebuild';

export type Scale = { people: number; records: number; certificates: number; years: number };

export const SCALES: Record<string, Scale> = {
	large: { people: 100_000, records: 1_000_000, certificates: 50_000, years: 3 },
	tenth: { people: 10_000, records: 100_000, certificates: 5_000, years: 3 },
	tiny: { people: 70, records: 700, certificates: 35, years: 3 }
};

export const SCALE_COMMUNITIES = [
	{ code: 'dongmen', name_zh: '东门社区', name_en: 'Dongmen Community' },
	{ code: 'lixin', name_zh: '立新社区', name_en: 'Lixin Community' },
	{ code: 'hubei', name_zh: '湖贝社区', name_en: 'Hubei Community' },
	{ code: 'chengdong', name_zh: '城东社区', name_en: 'Chengdong Community' },
	{ code: 'xinyuan', name_zh: '新园社区', name_en: 'Xinyuan Community' },
	{ code: 'huachang', name_zh: '花场社区', name_en: 'Huachang Community' },
	{ code: 'shuibei', name_zh: '水贝社区', name_en: 'Shuibei Community' }
] as const;

const TABLES = ['person', 'community_membership', 'occurrence', 'reservation', 'certificate'] as const;

async function triggers(db: Kysely<Database>, on: boolean) {
	for (const table of TABLES) await sql.raw(`ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ALL`).execute(db);
}

/** Adds the generated data set to a migrated database (with or without the demo data). */
export async function seedScale(db: Kysely<Database>, scale: Scale, log: (line: string) => void = () => {}): Promise<void> {
	const N = scale.people;
	const end = today();
	const start = addDays(end, -Math.round(scale.years * 365));
	// Per 20 occurrences: 8 doctor slots (1 place), 10 fitness sessions (8 of 10 places), 2 trainings (10 of 12).
	const occurrences = Math.max(20, Math.round((scale.records / 108) * 20));

	for (const c of SCALE_COMMUNITIES) {
		await db
			.insertInto('community')
			.values({ code: c.code, name_zh: c.name_zh, name_en: c.name_en })
			.onConflict((oc) => oc.column('code').doNothing())
			.execute();
	}
	const communities = (
		await db
			.selectFrom('community')
			.select('id')
			.where(
				'code',
				'in',
				SCALE_COMMUNITIES.map((c) => c.code)
			)
			.orderBy('id')
			.execute()
	).map((c) => c.id);
	const ids = `ARRAY[${communities.join(',')}]::integer[]`;
	const K = communities.length;
	for (const id of communities) {
		await db
			.insertInto('community_population')
			.values({ community_id: id, population: Math.round((N / K) * 1.4), effective_from: start })
			.onConflict((oc) => oc.columns(['community_id', 'effective_from']).doNothing())
			.execute();
	}
	const course = await db
		.insertInto('training_course')
		.values({
			code: `SCALE-CPR-${Date.now() % 100_000}`,
			title_zh: '心肺复苏 + AED（规模测试）',
			title_en: 'CPR + AED (scale test)',
			description_zh: '规模测试数据',
			description_en: 'Scale test data',
			duration_minutes: 180,
			validity_months: 24,
			counts_toward_coverage: true,
			created_at: new Date(),
			updated_at: new Date()
		})
		.returning('id')
		.executeTakeFirstOrThrow();

	await triggers(db, false);
	try {
		await db.transaction().execute(async (trx) => {
			const run = async (label: string, statement: string) => {
				const t0 = Date.now();
				await sql.raw(statement).execute(trx);
				log(`  ${label}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
			};
			const base = async (table: string) =>
				Number((await sql<{ n: string }>`SELECT coalesce(max(id), 0) AS n FROM ${sql.table(table)}`.execute(trx)).rows[0]!.n);
			const p0 = (await base('person')) + 1;
			const o0 = (await base('occurrence')) + 1;
			const fam = `ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','林','罗','欧阳']`;
			await run(
				'people',
				`INSERT INTO person (id, family_name, given_name, birth_year, created_at, updated_at) OVERRIDING SYSTEM VALUE
				 SELECT ${p0} + i, (${fam})[1 + i % 20], '居民' || i, 1940 + i % 70, now(), now() FROM generate_series(0, ${N - 1}) i`
			);
			// One in twenty moves to the next community halfway through.
			const half = addDays(start, Math.round((scale.years * 365) / 2));
			await run(
				'memberships',
				`INSERT INTO community_membership (person_id, community_id, valid_from, valid_to)
				 SELECT ${p0} + i, (${ids})[1 + i % ${K}], DATE '2000-01-01', CASE WHEN i % 20 = 0 THEN DATE '${half}' END
				 FROM generate_series(0, ${N - 1}) i
				 UNION ALL
				 SELECT ${p0} + i, (${ids})[1 + (i + 1) % ${K}], DATE '${half}', NULL FROM generate_series(0, ${N - 1}, 20) i`
			);
			const span = `(TIMESTAMPTZ '${start} 08:00+08' + (j::float8 / ${occurrences}) * (TIMESTAMPTZ '${end} 08:00+08' + interval '30 days' - TIMESTAMPTZ '${start} 08:00+08'))`;
			await run(
				'occurrences',
				`INSERT INTO occurrence (id, programme, community_id, title_zh, title_en, starts_at, ends_at, capacity, cancelled_at, created_at) OVERRIDING SYSTEM VALUE
				 SELECT ${o0} + j, g.programme, (${ids})[1 + (j / 3) % ${K}], g.programme || ' ' || j, g.programme || ' ' || j,
					${span}, ${span} + interval '1 hour', g.capacity,
					CASE WHEN g.programme = 'fitness' AND j % 97 = 0 THEN ${span} - interval '2 days' END, ${span} - interval '14 days'
				 FROM generate_series(0, ${occurrences - 1}) j,
				 LATERAL (SELECT CASE WHEN j % 20 < 8 THEN 'doctor' WHEN j % 20 < 18 THEN 'fitness' ELSE 'training' END AS programme,
					CASE WHEN j % 20 < 8 THEN 1 WHEN j % 20 < 18 THEN 10 ELSE 12 END AS capacity) g`
			);
			await run(
				'reservations',
				`INSERT INTO reservation (occurrence_id, person_id, status, during, waitlisted_at, checked_in_at, created_at, updated_at)
				 SELECT id, ${p0} + (r % ${N}),
					CASE WHEN cancelled_at IS NOT NULL THEN 'cancelled'
						WHEN starts_at > now() THEN CASE WHEN h < 95 THEN 'reserved' ELSE 'waitlisted' END
						WHEN h < 74 THEN 'attended' WHEN h < 83 THEN 'no_show' WHEN h < 89 THEN 'late_cancelled'
						WHEN h < 96 THEN 'cancelled' ELSE 'attended' END,
					tstzrange(starts_at, ends_at, '[)'),
					CASE WHEN programme <> 'doctor' AND h >= 95 THEN starts_at - interval '3 days' END,
					CASE WHEN starts_at <= now() AND (h < 74 OR h >= 96) THEN starts_at END,
					starts_at - interval '5 days', starts_at - interval '1 day'
				 FROM (SELECT o.id, o.programme, o.starts_at, o.ends_at, o.cancelled_at,
						row_number() OVER (ORDER BY o.starts_at, o.id, k) - 1 AS r, (o.id * 31 + k * 17) % 100 AS h
					FROM occurrence o, generate_series(1, CASE o.programme WHEN 'doctor' THEN 1 WHEN 'fitness' THEN 8 ELSE 10 END) k
					WHERE o.id >= ${o0}) x`
			);
			// Certificates from attended trainings, spread evenly over the whole period.
			await run(
				'certificates',
				`WITH trained AS (
					SELECT r.id, r.person_id, o.starts_at, o.ends_at, row_number() OVER (ORDER BY r.id) AS n, count(*) OVER () AS total
					FROM reservation r JOIN occurrence o ON o.id = r.occurrence_id
					WHERE o.id >= ${o0} AND o.programme = 'training' AND r.status = 'attended'),
				 picked AS (SELECT *, row_number() OVER (ORDER BY n) AS c FROM trained
					WHERE floor(n * ${scale.certificates}::float8 / total) > floor((n - 1) * ${scale.certificates}::float8 / total))
				 INSERT INTO certificate (number, verification_code, reservation_id, person_id, course_id, holder_family_name, holder_given_name,
					trained_on, valid_until, issued_at, revoked_at, revoke_reason)
				 SELECT 'DM-FA-S' || lpad(t.c::text, 7, '0'), md5('v' || t.c) || md5('w' || t.c), t.id, t.person_id, ${course.id},
					p.family_name, p.given_name, (t.starts_at AT TIME ZONE 'Asia/Shanghai')::date,
					(date_trunc('month', t.starts_at AT TIME ZONE 'Asia/Shanghai') + interval '25 months' - interval '1 day')::date,
					t.ends_at, CASE WHEN t.c % 100 = 0 THEN t.ends_at + interval '30 days' END, CASE WHEN t.c % 100 = 0 THEN '规模测试' END
				 FROM picked t JOIN person p ON p.id = t.person_id`
			);
			// Steady state, as on a portal that has been running all along: the reminders that were due
			// have gone out (otherwise the first minutes after start are the worker catching up on
			// thousands of them, which is not what the pages are measured against).
			for (const days of [90, 30, 7])
				await run(
					`reminders sent (${days} days)`,
					`INSERT INTO certificate_reminder (certificate_id, days_before, sent_at)
					 SELECT c.id, ${days}, now() FROM certificate c JOIN reservation r ON r.id = c.reservation_id
					 WHERE r.occurrence_id >= ${o0} AND c.valid_until <= DATE '${end}' + ${days}`
				);
			await run(
				'booking reminders sent',
				`UPDATE reservation SET reminder_sent_at = now() WHERE occurrence_id >= ${o0} AND status = 'reserved'
				 AND lower(during) < now() + interval '2 days'`
			);
			await run('sequences', `SELECT setval(pg_get_serial_sequence('person', 'id'), (SELECT max(id) FROM person))`);
			await run('', `SELECT setval(pg_get_serial_sequence('occurrence', 'id'), (SELECT max(id) FROM occurrence))`);
		});
	} finally {
		await triggers(db, true);
	}
	const t0 = Date.now();
	await rebuildAggregates(db);
	log(`  aggregates: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	await sql`ANALYZE`.execute(db);
}
