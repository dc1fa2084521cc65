/**
 * A small hand-made data set for the participation figures. Every number the tests expect is
 * worked out by hand from the comments below, not by the portal's queries.
 *
 * Today is 2026-06-15 (Shanghai). Communities A (population 100) and B (50, then 80 from 2026-04-01).
 * People: P1, P2 in A; P3 in A until 2026-03-10, then B (moved mid-period, mid-March); P4, P5 in B.
 *
 * Occurrences (Shanghai times) and reservations:
 *   O1 fitness A 2026-01-10 09:00 cap 10: P1 attended, P2 no_show, P3 late_cancelled
 *   O2 fitness A 2026-03-05 09:00 cap 2:  P1 attended, P3 attended (P3 still in A),
 *                                          P2 left the waitlist (cancelled, waitlisted_at set: not "made")
 *   O3 fitness A 2026-03-20 09:00 cap 2:  P1 attended, P3 attended (P3 now in B)
 *   O4 doctor  A 2026-03-25 10:00 cap 1:  P1 attended
 *   (February and April: no activity at all)
 *   O5 training B 2026-05-10 09:00 cap 5: P4 attended, P5 waitlisted, P3 cancelled in time (made)
 *   O6 fitness A 2026-05-31 23:30 cap 3:  P2 attended (May in Shanghai, June in UTC)
 *   O7 fitness B 2026-06-05 09:00 cap 6, the session cancelled: P5 cancelled (made; no places)
 *   O8 fitness B 2026-06-20 09:00 cap 4:  P4 reserved
 *
 * Courses: CPR (counts toward coverage, 24 months), BASIC (does not count). Certificates:
 *   K1 P1 CPR 2024-08-20 → 2026-08-31   (expires within 90 days, but P1 holds K2: not listed)
 *   K2 P1 CPR 2026-03-25 → 2028-03-31   (P1 holds two valid certificates: counted once)
 *   K3 P2 CPR 2024-02-10 → 2026-02-28   (expired at the end of February)
 *   K4 P4 CPR 2025-09-01 → 2026-08-31   revoked on 2026-05-01 (never counts)
 *   K5 P3 CPR 2025-12-05 → 2026-07-31   (expiring; P3's name starts with "=")
 *   K6 P5 BASIC 2026-01-15 → 2026-07-31 (a course that does not count)
 *   K7 P4 CPR 2026-05-10 → 2099-12-31   (from O5; far off, so that the server-process tests,
 *                                        which run on the real clock, see it valid for years)
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { shanghaiInstant } from '../../src/lib/server/clock';
import type { Database } from '../../src/lib/server/db/schema';
import { createCommunity } from '../helpers/factories';

export const TODAY_INSTANT = shanghaiInstant('2026-06-15', '10:00');

type Status = 'reserved' | 'waitlisted' | 'cancelled' | 'late_cancelled' | 'attended' | 'no_show';

export async function buildDataset(db: Kysely<Database>, suffix = '') {
	const a = await createCommunity(db, { code: `pa${suffix}`, nameZh: `甲社区${suffix}`, nameEn: `Community A${suffix}`, population: 100 });
	const b = await createCommunity(db, { code: `pb${suffix}`, nameZh: `乙社区${suffix}`, nameEn: `Community B${suffix}`, population: 50 });
	await db.insertInto('community_population').values({ community_id: b.id, population: 80, effective_from: '2026-04-01' }).execute();

	const person = async (familyName: string, givenName: string, memberships: [number, string, string | null][]) => {
		const row = await db
			.insertInto('person')
			.values({ family_name: familyName, given_name: givenName, phone: null, birth_year: 1960 })
			.returning('id')
			.executeTakeFirstOrThrow();
		for (const [communityId, from, to] of memberships)
			await db
				.insertInto('community_membership')
				.values({ person_id: row.id, community_id: communityId, valid_from: from, valid_to: to })
				.execute();
		return row.id;
	};
	const p1 = await person('赵', '一', [[a.id, '2020-01-01', null]]);
	const p2 = await person('钱', '二', [[a.id, '2020-01-01', null]]);
	const p3 = await person('=SUM', '(1)', [
		[a.id, '2020-01-01', '2026-03-10'],
		[b.id, '2026-03-10', null]
	]);
	const p4 = await person('李', '四', [[b.id, '2020-01-01', null]]);
	const p5 = await person('周', '五', [[b.id, '2020-01-01', null]]);

	const occurrence = async (programme: string, communityId: number, day: string, time: string, capacity: number, cancelled = false) => {
		const starts = shanghaiInstant(day, time);
		const row = await db
			.insertInto('occurrence')
			.values({
				programme,
				community_id: communityId,
				title_zh: `${programme} ${day}`,
				title_en: `${programme} ${day}`,
				starts_at: starts,
				ends_at: new Date(starts.getTime() + 3_600_000),
				capacity,
				cancelled_at: cancelled ? new Date('2026-06-01T00:00:00Z') : null,
				created_at: new Date('2025-12-01T00:00:00Z')
			})
			.returning(['id', 'starts_at', 'ends_at'])
			.executeTakeFirstOrThrow();
		return row;
	};
	const reserve = async (o: { id: number; starts_at: Date; ends_at: Date }, personId: number, status: Status, waitlisted = false) => {
		const row = await db
			.insertInto('reservation')
			.values({
				occurrence_id: o.id,
				person_id: personId,
				status,
				during: sql<string>`tstzrange(${o.starts_at}, ${o.ends_at}, '[)')`,
				waitlisted_at: waitlisted ? new Date(o.starts_at.getTime() - 86_400_000) : null,
				created_at: new Date(o.starts_at.getTime() - 2 * 86_400_000),
				updated_at: new Date(o.starts_at.getTime() - 86_400_000)
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		return row.id;
	};

	const o1 = await occurrence('fitness', a.id, '2026-01-10', '09:00', 10);
	await reserve(o1, p1, 'attended');
	await reserve(o1, p2, 'no_show');
	await reserve(o1, p3, 'late_cancelled');
	const o2 = await occurrence('fitness', a.id, '2026-03-05', '09:00', 2);
	await reserve(o2, p1, 'attended');
	await reserve(o2, p3, 'attended');
	await reserve(o2, p2, 'cancelled', true);
	const o3 = await occurrence('fitness', a.id, '2026-03-20', '09:00', 2);
	await reserve(o3, p1, 'attended');
	await reserve(o3, p3, 'attended');
	const o4 = await occurrence('doctor', a.id, '2026-03-25', '10:00', 1);
	await reserve(o4, p1, 'attended');
	const o5 = await occurrence('training', b.id, '2026-05-10', '09:00', 5);
	const p4Training = await reserve(o5, p4, 'attended');
	await reserve(o5, p5, 'waitlisted', true);
	await reserve(o5, p3, 'cancelled');
	const o6 = await occurrence('fitness', a.id, '2026-05-31', '23:30', 3);
	await reserve(o6, p2, 'attended');
	const o7 = await occurrence('fitness', b.id, '2026-06-05', '09:00', 6, true);
	await reserve(o7, p5, 'cancelled');
	const o8 = await occurrence('fitness', b.id, '2026-06-20', '09:00', 4);
	await reserve(o8, p4, 'reserved');

	const course = async (code: string, counts: boolean) =>
		(
			await db
				.insertInto('training_course')
				.values({
					code: `${code}${suffix.toUpperCase()}`,
					title_zh: `${code} 课程`,
					title_en: `${code} course`,
					description_zh: '—',
					description_en: '—',
					duration_minutes: 120,
					validity_months: 24,
					counts_toward_coverage: counts,
					created_at: new Date('2020-01-01T00:00:00Z'),
					updated_at: new Date('2020-01-01T00:00:00Z')
				})
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
	const cpr = await course('CPR', true);
	const basic = await course('BASIC', false);

	// Older trainings (2023, outside every period the tests look at) that certificates come from.
	let day = 1;
	const enrolment = async (personId: number) => {
		const o = await occurrence('training', a.id, `2023-01-${String(day++).padStart(2, '0')}`, '09:00', 10);
		return reserve(o, personId, 'attended');
	};
	let n = 0;
	const certificate = async (
		personId: number,
		courseId: number,
		trainedOn: string,
		validUntil: string,
		opts: { revokedAt?: Date; reservationId?: number } = {}
	) => {
		n++;
		const names = await db.selectFrom('person').select(['family_name', 'given_name']).where('id', '=', personId).executeTakeFirstOrThrow();
		return (
			await db
				.insertInto('certificate')
				.values({
					number: `DM-FA-T${suffix}-${String(n).padStart(6, '0')}`,
					verification_code: `code${suffix}${n}`.padEnd(30, 'x'),
					reservation_id: opts.reservationId ?? (await enrolment(personId)),
					person_id: personId,
					course_id: courseId,
					holder_family_name: names.family_name,
					holder_given_name: names.given_name,
					trained_on: trainedOn,
					valid_until: validUntil,
					issued_at: new Date(`${trainedOn}T08:00:00Z`),
					revoked_at: opts.revokedAt ?? null,
					revoke_reason: opts.revokedAt ? '发错了' : null
				})
				.returning(['id', 'number'])
				.executeTakeFirstOrThrow()
		).number;
	};
	const k1 = await certificate(p1, cpr, '2024-08-20', '2026-08-31');
	const k2 = await certificate(p1, cpr, '2026-03-25', '2028-03-31');
	const k3 = await certificate(p2, cpr, '2024-02-10', '2026-02-28');
	const k4 = await certificate(p4, cpr, '2025-09-01', '2026-08-31', { revokedAt: new Date('2026-05-01T02:00:00Z') });
	const k5 = await certificate(p3, cpr, '2025-12-05', '2026-07-31');
	const k6 = await certificate(p5, basic, '2026-01-15', '2026-07-31');
	const k7 = await certificate(p4, cpr, '2026-05-10', '2099-12-31', { reservationId: p4Training });

	return { a, b, people: { p1, p2, p3, p4, p5 }, certificates: { k1, k2, k3, k4, k5, k6, k7 }, courses: { cpr, basic } };
}
