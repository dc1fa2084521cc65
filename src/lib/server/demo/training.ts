/**
 * Demo first-aid training (issue #8, item 6): two courses; upcoming sessions in two communities,
 * one of them full with a waiting list; one session that ended yesterday waiting for its trainer's
 * attendance; one finished and assessed, ready for certificates. Idempotent.
 */
import { sql, type Kysely } from 'kysely';
import { addDays, now, shanghaiDate, shanghaiInstant, today } from '../clock';
import { issueCertificates, reissueCertificate, revokeCertificate } from '../certificates/issue';
import { formatNumber, parseNumber } from '../certificates/number';
import type { Database } from '../db/schema';
import { reserve } from '../booking/reservations';
import { insertPerson } from '../people/people';
import { createCourse, skillsOf, type CourseInput } from '../training/courses';
import { createSession } from '../training/sessions';

const SYSTEM = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };

const CPR: CourseInput = {
	code: 'CPR-AED',
	titleZh: '心肺复苏与 AED 使用',
	titleEn: 'CPR and AED',
	descriptionZh: '学习识别心脏骤停、高质量胸外按压、人工呼吸和自动体外除颤器（AED）的使用。考核合格颁发急救培训证书。',
	descriptionEn:
		'Recognise cardiac arrest, give high-quality chest compressions and rescue breaths, and use an automated external defibrillator (AED). A first-aid certificate is issued on passing.',
	durationMinutes: 180,
	validityMonths: 24,
	countsTowardCoverage: true,
	skills: [
		{ nameZh: '现场安全评估', nameEn: 'Scene safety' },
		{ nameZh: '判断意识与呼吸、呼救', nameEn: 'Checking response and breathing, calling for help' },
		{ nameZh: '胸外按压（每分钟 100–120 次，深度 5–6 厘米）', nameEn: 'Chest compressions (100–120 a minute, 5–6 cm deep)' },
		{ nameZh: '人工呼吸', nameEn: 'Rescue breaths' },
		{ nameZh: 'AED 使用', nameEn: 'Using an AED' }
	]
};

const BASIC: CourseInput = {
	code: 'BFA',
	titleZh: '基础急救',
	titleEn: 'Basic first aid',
	descriptionZh: '止血、包扎、骨折固定和气道异物梗阻的现场处理，适合家庭和社区志愿者。',
	descriptionEn:
		'Stopping bleeding, bandaging, splinting a fracture and helping someone who is choking: for families and community volunteers.',
	durationMinutes: 120,
	validityMonths: 36,
	countsTowardCoverage: false,
	skills: [
		{ nameZh: '止血', nameEn: 'Stopping bleeding' },
		{ nameZh: '包扎', nameEn: 'Bandaging' },
		{ nameZh: '骨折固定', nameEn: 'Splinting a fracture' },
		{ nameZh: '气道异物梗阻急救（海姆立克法）', nameEn: 'Choking (abdominal thrusts)' }
	]
};

const NAMES = [
	['张', '伟'],
	['王', '芳'],
	['李', '娜'],
	['刘', '洋'],
	['陈', '静'],
	['杨', '磊'],
	['黄', '敏'],
	['赵', '强'],
	['吴', '丽'],
	['周', '杰'],
	['徐', '霞'],
	['孙', '涛'],
	['马', '兰'],
	['朱', '军'],
	['胡', '燕'],
	['郭', '斌'],
	['何', '梅'],
	['林', '峰'],
	['高', '琳'],
	['罗', '刚'],
	['郑', '红'],
	['梁', '勇']
] as const;

export async function seedTraining(db: Kysely<Database>, midway?: () => Promise<void>): Promise<void> {
	if (await db.selectFrom('training_course').select('id').executeTakeFirst()) return;
	const community = async (code: string) =>
		(await db.selectFrom('community').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
	const dongmen = await community('dongmen');
	const lixin = await community('lixin');
	const trainer = await db.selectFrom('account').select('id').where('login_phone', '=', '13800000002').executeTakeFirst();
	if (!trainer) return;
	const course = async (input: CourseInput) => {
		const made = await createCourse(db, SYSTEM, input);
		if (!made.ok) throw new Error('demo course');
		return made.courseId;
	};
	const cpr = await course(CPR);
	const basic = await course(BASIC);
	await midway?.();

	// Demo trainees: people without accounts (walk-ins, pupils), by community.
	let next = 0;
	const people = async (count: number, communityId: number) => {
		const ids: number[] = [];
		await db.transaction().execute(async (trx) => {
			for (let i = 0; i < count; i++, next++) {
				const [family, given] = NAMES[next % NAMES.length]!;
				ids.push(
					await insertPerson(trx, {
						familyName: family,
						givenName: next < NAMES.length ? given : `${given}${Math.floor(next / NAMES.length) + 1}`,
						displayName: null,
						phone: null,
						email: null,
						birthYear: 1960 + (next % 40),
						communityId
					})
				);
			}
		});
		return ids;
	};
	const session = async (courseId: number, communityId: number, day: string, time: string, venue: [string, string], capacity: number) => {
		const made = await createSession(db, SYSTEM, {
			courseId,
			communityId,
			date: day,
			startTime: time,
			venueZh: venue[0],
			venueEn: venue[1],
			trainerAccountId: trainer.id,
			capacity
		});
		if (!made.ok) throw new Error(`demo session: ${made.reason}`);
		return made.occurrenceId;
	};
	const enrol = async (occurrenceId: number, ids: number[]) => {
		for (const personId of ids) await reserve(db, { occurrenceId, personId, actor: { accountId: null, personId } });
	};
	const DONGMEN_HALL: [string, string] = ['东门社区党群服务中心 3 楼培训室', 'Dongmen community centre, 3/F training room'];
	const LIXIN_HALL: [string, string] = ['立新社区活动中心', 'Lixin community activity centre'];

	// Upcoming: CPR + AED in 东门 with places, basic first aid in 立新, and a small CPR class already full.
	const open = await session(cpr, dongmen, addDays(today(), 7), '09:00', DONGMEN_HALL, 30);
	await enrol(open, await people(4, dongmen));
	const resident = await db.selectFrom('account').select('person_id').where('login_phone', '=', '13800000001').executeTakeFirst();
	if (resident) await enrol(open, [resident.person_id]);
	const basicSession = await session(basic, lixin, addDays(today(), 10), '14:00', LIXIN_HALL, 20);
	await enrol(basicSession, await people(3, lixin));
	const full = await session(cpr, dongmen, addDays(today(), 14), '14:00', DONGMEN_HALL, 6);
	await enrol(full, await people(9, dongmen));

	// Past sessions are written directly: the services rightly refuse to book the past.
	const past = async (courseId: number, communityId: number, day: string, venue: [string, string], capacity: number) => {
		const startsAt = shanghaiInstant(day, '09:00');
		const minutes = courseId === cpr ? CPR.durationMinutes : BASIC.durationMinutes;
		const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
		const occ = await db
			.insertInto('occurrence')
			.values({
				programme: 'training',
				community_id: communityId,
				title_zh: courseId === cpr ? CPR.titleZh : BASIC.titleZh,
				title_en: courseId === cpr ? CPR.titleEn : BASIC.titleEn,
				location_zh: venue[0],
				location_en: venue[1],
				starts_at: startsAt,
				ends_at: endsAt,
				capacity,
				created_at: now()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await db
			.insertInto('training_session')
			.values({ occurrence_id: occ.id, course_id: courseId, trainer_account_id: trainer.id, venue_zh: venue[0], venue_en: venue[1] })
			.execute();
		return { id: occ.id, startsAt, endsAt };
	};
	const book = async (occ: { id: number; startsAt: Date; endsAt: Date }, personId: number, status: 'reserved' | 'attended' | 'no_show') => {
		const row = await sql<{
			id: number;
		}>`INSERT INTO reservation (occurrence_id, person_id, status, during, checked_in_at, created_at, updated_at)
			VALUES (${occ.id}, ${personId}, ${status}, tstzrange(${occ.startsAt}, ${occ.endsAt}, '[)'),
			        ${status === 'attended' ? occ.startsAt : null}, ${addMs(occ.startsAt, -7 * DAY)}, ${occ.endsAt})
			RETURNING id`.execute(db);
		return Number(row.rows[0]!.id);
	};

	// Ended yesterday: the trainer has not taken attendance yet (the sheet stays open for a week).
	const yesterday = await past(cpr, lixin, addDays(today(), -1), LIXIN_HALL, 12);
	for (const personId of await people(6, lixin)) await book(yesterday, personId, 'reserved');

	// Finished ten days ago and assessed: six passed every skill, one failed compressions, one did not come.
	const done = await past(cpr, dongmen, addDays(today(), -10), DONGMEN_HALL, 12);
	const skills = await skillsOf(db, cpr);
	const trainees = await people(8, dongmen);
	for (const [i, personId] of trainees.entries()) {
		const reservationId = await book(done, personId, i === 7 ? 'no_show' : 'attended');
		if (i === 7) continue;
		await db
			.insertInto('training_assessment')
			.values(
				skills.map((s) => ({
					reservation_id: reservationId,
					skill_id: s.id,
					passed: !(i === 6 && s.position === 3),
					note: i === 6 && s.position === 3 ? '按压深度不足' : null,
					assessed_by: trainer.id,
					assessed_at: done.endsAt
				}))
			)
			.execute();
	}

	if (resident)
		await residentCertificates(db, resident.person_id, {
			cpr,
			basic,
			dongmen,
			past,
			book,
			skills: { cpr: skills, basic: await skillsOf(db, basic) }
		});
}

/**
 * The demo resident's certificates (issue #9, item 8): CPR + AED from almost two years ago, about to
 * expire (they are booked on a refresher); basic first aid from four years ago, expired; and basic
 * first aid from this year whose first certificate was revoked for a misspelt name and re-issued.
 * Issued through the service, then dated back to the day after each training.
 */
async function residentCertificates(
	db: Kysely<Database>,
	personId: number,
	ctx: {
		cpr: number;
		basic: number;
		dongmen: number;
		past: (
			courseId: number,
			communityId: number,
			day: string,
			venue: [string, string],
			capacity: number
		) => Promise<{ id: number; startsAt: Date; endsAt: Date }>;
		book: (occ: { id: number; startsAt: Date; endsAt: Date }, personId: number, status: 'attended') => Promise<number>;
		skills: { cpr: { id: number }[]; basic: { id: number }[] };
	}
): Promise<void> {
	const hall: [string, string] = ['东门社区党群服务中心 3 楼培训室', 'Dongmen community centre, 3/F training room'];
	const trained = async (courseId: number, daysAgo: number) => {
		const occ = await ctx.past(courseId, ctx.dongmen, addDays(today(), -daysAgo), hall, 20);
		const reservationId = await ctx.book(occ, personId, 'attended');
		const skills = courseId === ctx.cpr ? ctx.skills.cpr : ctx.skills.basic;
		await db
			.insertInto('training_assessment')
			.values(
				skills.map((s) => ({
					reservation_id: reservationId,
					skill_id: s.id,
					passed: true,
					note: null,
					assessed_by: null,
					assessed_at: occ.endsAt
				}))
			)
			.execute();
		const made = await issueCertificates(db, SYSTEM, { occurrenceId: occ.id, reservationIds: [reservationId] });
		if (!made.ok) throw new Error(`demo certificate: ${made.reason}`);
		await backdate(db, made.issued[0]!.certificateId, occ.endsAt);
		return made.issued[0]!.certificateId;
	};
	await trained(ctx.cpr, 700); // valid until the end of a month 1–2 months from now: expiring soon
	await trained(ctx.basic, 1500); // expired
	const misspelt = await trained(ctx.basic, 240);
	await revokeCertificate(db, SYSTEM, misspelt, '姓名录入有误，已重新发放 / Name misspelt; a new certificate was issued');
	const again = await reissueCertificate(db, SYSTEM, misspelt);
	if (!again.ok) throw new Error(`demo re-issue: ${again.reason}`);
}

/** Dates a demo certificate to the day after its training, numbered in that year. */
async function backdate(db: Kysely<Database>, certificateId: number, trainingEnded: Date): Promise<void> {
	const issuedAt = addMs(trainingEnded, DAY);
	const cert = await db.selectFrom('certificate').select('number').where('id', '=', certificateId).executeTakeFirstOrThrow();
	const parsed = parseNumber(cert.number);
	if (!parsed.ok) throw new Error('demo certificate number');
	await db
		.updateTable('certificate')
		.set({ issued_at: issuedAt, number: formatNumber(Number(shanghaiDate(issuedAt).slice(0, 4)), parsed.sequence) })
		.where('id', '=', certificateId)
		.execute();
}

const DAY = 24 * 60 * 60_000;
const addMs = (d: Date, ms: number) => new Date(d.getTime() + ms);
