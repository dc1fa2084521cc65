/** Demo fitness spaces: three spaces in two communities, a weekly timetable and a little history. */
import { sql, type Kysely } from 'kysely';
import { addDays, now, startOfWeek, today } from '../clock';
import type { Database } from '../db/schema';
import { createSpace } from '../fitness/spaces';
import { createSeries, type SeriesInput } from '../fitness/sessions';
import { setOpeningHours } from '../fitness/spaces';

const SYSTEM = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };

export async function seedFitness(db: Kysely<Database>): Promise<void> {
	if (await db.selectFrom('fitness_space').select('id').executeTakeFirst()) return;
	const community = async (code: string) =>
		(await db.selectFrom('community').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
	const dongmen = await community('dongmen');
	const hubei = await community('hubei');
	const space = async (input: Parameters<typeof createSpace>[2]) => {
		const result = await createSpace(db, SYSTEM, input);
		if (!result.ok) throw new Error('demo space');
		return result.spaceId;
	};
	const square = await space({
		communityId: dongmen,
		nameZh: '东门社区文化广场',
		nameEn: 'Dongmen Community Culture Square',
		addressZh: '东门中路 88 号',
		addressEn: '88 Dongmen Middle Road',
		directionsZh: '地铁老街站 A 出口步行 5 分钟',
		directionsEn: '5 minutes on foot from Laojie metro station, exit A',
		contact: '0755-0000 0001',
		stepFree: true,
		capacity: 40,
		facilitiesZh: '健身路径、乒乓球台、饮水点',
		facilitiesEn: 'Fitness trail, table tennis, drinking water'
	});
	const corner = await space({
		communityId: dongmen,
		nameZh: '立新路口袋公园健身角',
		nameEn: 'Lixin Road pocket-park fitness corner',
		addressZh: '立新路 12 号旁',
		addressEn: 'Next to 12 Lixin Road',
		directionsZh: null,
		directionsEn: null,
		contact: null,
		stepFree: false,
		capacity: 12,
		facilitiesZh: '健身器材 8 件',
		facilitiesEn: '8 fitness machines'
	});
	const hall = await space({
		communityId: hubei,
		nameZh: '湖贝社区活动室',
		nameEn: 'Hubei Community activity room',
		addressZh: '湖贝路 3 号 2 楼',
		addressEn: '2/F, 3 Hubei Road',
		directionsZh: '有电梯',
		directionsEn: 'Lift available',
		contact: '0755-0000 0003',
		stepFree: true,
		capacity: 25,
		facilitiesZh: '瑜伽垫、音响',
		facilitiesEn: 'Yoga mats, sound system'
	});
	for (const id of [square, corner, hall]) {
		await setOpeningHours(
			db,
			SYSTEM,
			id,
			[1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '06:30', closes: '21:30' }))
		);
	}

	const from = addDays(startOfWeek(today()), -14);
	const to = addDays(from, 10 * 7);
	const series: SeriesInput[] = [
		{
			spaceId: square,
			kind: 'group',
			titleZh: '广播体操（两操）',
			titleEn: 'Radio exercises (two exercises)',
			instructor: '林老师',
			capacity: 30,
			weekday: 1,
			startTime: '07:30',
			endTime: '08:15',
			validFrom: from,
			validTo: to
		},
		{
			spaceId: square,
			kind: 'group',
			titleZh: '二十四式太极拳',
			titleEn: 'Tai chi, 24 forms',
			instructor: '周师傅',
			capacity: 20,
			weekday: 3,
			startTime: '08:00',
			endTime: '09:00',
			validFrom: from,
			validTo: to
		},
		{
			spaceId: square,
			kind: 'group',
			titleZh: '八段锦',
			titleEn: 'Baduanjin',
			instructor: '周师傅',
			capacity: 2,
			weekday: 5,
			startTime: '08:00',
			endTime: '08:45',
			validFrom: from,
			validTo: to
		},
		{
			spaceId: corner,
			kind: 'open',
			titleZh: '健身角自由使用',
			titleEn: 'Fitness corner, open use',
			instructor: null,
			capacity: 12,
			weekday: 6,
			startTime: '09:00',
			endTime: '11:00',
			validFrom: from,
			validTo: to
		},
		{
			spaceId: hall,
			kind: 'group',
			titleZh: '健康操（两操）',
			titleEn: 'Health exercises (two exercises)',
			instructor: '陈老师',
			capacity: 25,
			weekday: 2,
			startTime: '19:00',
			endTime: '20:00',
			validFrom: from,
			validTo: to
		},
		{
			spaceId: hall,
			kind: 'open',
			titleZh: '活动室自由使用',
			titleEn: 'Activity room, open use',
			instructor: null,
			capacity: 15,
			weekday: 4,
			startTime: '14:00',
			endTime: '16:00',
			validFrom: from,
			validTo: to
		}
	];
	for (const s of series) await createSeries(db, SYSTEM, s);

	// A little history: the demo resident came to tai chi twice, and missed once.
	const resident = await db.selectFrom('account').select('person_id').where('login_phone', '=', '13800000001').executeTakeFirst();
	if (!resident) return;
	const past = await db
		.selectFrom('occurrence')
		.select(['id', 'starts_at', 'ends_at'])
		.where('programme', '=', 'fitness')
		.where('ends_at', '<', now())
		.where('title_zh', '=', '二十四式太极拳')
		.orderBy('starts_at')
		.limit(3)
		.execute();
	for (const [i, o] of past.entries()) {
		const status = i < 2 ? 'attended' : 'no_show';
		await sql`INSERT INTO reservation (occurrence_id, person_id, status, during, checked_in_at, created_at, updated_at)
			VALUES (${o.id}, ${resident.person_id}, ${status}, tstzrange(${o.starts_at}, ${o.ends_at}, '[)'),
			        ${status === 'attended' ? o.starts_at : null}, ${o.starts_at}, ${o.ends_at})`.execute(db);
	}
}
