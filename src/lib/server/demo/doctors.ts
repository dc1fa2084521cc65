/** Demo family doctor studio: one studio, two doctors, a fortnight of hours and some past visits. */
import { sql, type Kysely } from 'kysely';
import { transition } from '../booking/history';
import { addDays, isoWeekday, now, shanghaiInstant, today } from '../clock';
import type { Database } from '../db/schema';
import { doctorRecord, type DoctorRecord } from '../doctors/directory';
import { SERVICES } from '../doctors/model';
import { addException, addRule } from '../doctors/practice';

export async function seedDoctors(db: Kysely<Database>): Promise<void> {
	if (await db.selectFrom('doctor_studio').select('id').executeTakeFirst()) return;
	const dongmen = (await db.selectFrom('community').select('id').where('code', '=', 'dongmen').executeTakeFirstOrThrow()).id;
	const at = now();
	const studio = await db
		.insertInto('doctor_studio')
		.values({
			community_id: dongmen,
			name_zh: '东门社区家庭医生工作室',
			name_en: 'Dongmen Community family doctor studio',
			address_zh: '东门中路 90 号社康中心二楼',
			address_en: '2nd floor, community health centre, 90 Dongmen Middle Road',
			directions_zh: '地铁老街站 A 出口步行 6 分钟，有电梯',
			directions_en: '6 minutes on foot from Laojie metro station, exit A; there is a lift',
			phone: '0755-0000 0100',
			step_free: true,
			created_at: at
		})
		.returning('id')
		.executeTakeFirstOrThrow();

	// The demo doctor logs in; the second doctor's account has no password (it cannot log in).
	const chen = await db.selectFrom('account').select('id').where('login_phone', '=', '13800000003').executeTakeFirst();
	if (!chen) return;
	const zhangPerson = await db
		.insertInto('person')
		.values({ family_name: '张', given_name: '丽华', display_name: null, phone: null, birth_year: 1982 })
		.returning('id')
		.executeTakeFirstOrThrow();
	const zhang = await db
		.insertInto('account')
		.values({ person_id: zhangPerson.id, login_email: 'zhang.lihua@doctors.example', password_hash: null })
		.returning('id')
		.executeTakeFirstOrThrow();
	const doctorRow = async (accountId: number, title: [string, string], services: string[]) =>
		(
			await db
				.insertInto('doctor')
				.values({ account_id: accountId, studio_id: studio.id, title_zh: title[0], title_en: title[1], services, created_at: at })
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
	const chenId = await doctorRow(chen.id, ['全科主治医师', 'Attending general practitioner'], [...SERVICES]);
	const zhangId = await doctorRow(zhang.id, ['全科医师', 'General practitioner'], ['consultation', 'chronic_follow_up', 'three_controls']);
	const chenDoctor = (await doctorRecord(db, chenId)) as DoctorRecord;
	const zhangDoctor = (await doctorRecord(db, zhangId)) as DoctorRecord;

	const from = addDays(today(), -30);
	const to = addDays(today(), 180);
	for (const weekday of [1, 2, 3, 4, 5]) {
		await addRule(db, chenDoctor, { weekday, startTime: '08:30', endTime: '11:30', slotMinutes: 15, validFrom: from, validTo: to });
		await addRule(db, chenDoctor, { weekday, startTime: '14:30', endTime: '17:00', slotMinutes: 15, validFrom: from, validTo: to });
	}
	for (const weekday of [1, 3, 5, 6]) {
		await addRule(db, zhangDoctor, { weekday, startTime: '08:30', endTime: '11:30', slotMinutes: 20, validFrom: from, validTo: to });
	}
	// Dr Zhang takes a day of leave next week.
	const leave = addDays(today(), 8);
	await addException(db, zhangDoctor, { day: leave, kind: 'leave', startTime: null, endTime: null, slotMinutes: null, note: '外出培训' });

	await seedPastVisits(db, chenDoctor);
}

/**
 * On each weekday of the last week: one visit seen, one not yet marked (the no-show sweep marks it,
 * and the doctor can still correct it), so the agenda has history to show.
 */
async function seedPastVisits(db: Kysely<Database>, doctor: DoctorRecord): Promise<void> {
	const people = await db
		.selectFrom('account')
		.select(['person_id', 'login_phone'])
		.where('login_phone', 'in', ['13800000001', '13800000002'])
		.execute();
	const person = (phone: string) => people.find((p) => p.login_phone === phone)?.person_id;
	const wang = person('13800000001');
	const li = person('13800000002');
	if (!wang || !li) return;
	for (let back = 1; back <= 7; back++) {
		const day = addDays(today(), -back);
		if (isoWeekday(day) > 5) continue;
		await pastVisit(db, doctor, li, shanghaiInstant(day, '10:00'), 'attended', 'chronic_follow_up', '高血压随访');
		await pastVisit(db, doctor, wang, shanghaiInstant(day, '10:15'), 'reserved', 'consultation', '咳嗽一周');
	}
}

async function pastVisit(
	db: Kysely<Database>,
	doctor: DoctorRecord,
	personId: number,
	start: Date,
	status: 'attended' | 'reserved',
	service: string,
	reason: string
): Promise<void> {
	const end = new Date(start.getTime() + 15 * 60_000);
	const booked = new Date(start.getTime() - 2 * 24 * 60 * 60_000);
	const occurrence = await db
		.insertInto('occurrence')
		.values({
			programme: 'doctor',
			community_id: doctor.communityId,
			title_zh: `家庭医生 ${doctor.name}（${doctor.title.zh}）`,
			title_en: `Family doctor ${doctor.name} (${doctor.title.en})`,
			location_zh: `${doctor.studio.zh}（${doctor.address.zh}）`,
			location_en: `${doctor.studio.en} (${doctor.address.en})`,
			starts_at: start,
			ends_at: end,
			capacity: 1,
			created_at: booked
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const during = sql<string>`tstzrange(${start}, ${end}, '[)')`;
	const reservation = await db
		.insertInto('reservation')
		.values({
			occurrence_id: occurrence.id,
			person_id: personId,
			status,
			during,
			checked_in_at: status === 'attended' ? start : null,
			created_at: booked,
			updated_at: booked
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await transition(db, reservation.id, null, status, null, 'demo');
	await db
		.insertInto('appointment')
		.values({ reservation_id: reservation.id, doctor_id: doctor.id, service, reason, during, active: true, created_at: booked })
		.execute();
}
