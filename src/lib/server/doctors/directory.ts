/** Studios and their doctors as residents see them (public: no patient data here). */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import type { Database } from '../db/schema';
import { isService, type Service } from './model';

function doctorsQuery(db: Kysely<Database>) {
	return db
		.selectFrom('doctor')
		.innerJoin('account', 'account.id', 'doctor.account_id')
		.innerJoin('person', 'person.id', 'account.person_id')
		.innerJoin('doctor_studio', 'doctor_studio.id', 'doctor.studio_id')
		.select([
			'doctor.id',
			'doctor.account_id',
			'doctor.studio_id',
			'doctor.title_zh',
			'doctor.title_en',
			'doctor.services',
			'doctor.active',
			'person.family_name',
			'person.given_name',
			'doctor_studio.community_id',
			'doctor_studio.name_zh as studio_zh',
			'doctor_studio.name_en as studio_en',
			'doctor_studio.address_zh',
			'doctor_studio.address_en',
			'doctor_studio.directions_zh',
			'doctor_studio.directions_en',
			'doctor_studio.phone',
			'doctor_studio.step_free'
		]);
}

type DoctorRow = Awaited<ReturnType<ReturnType<typeof doctorsQuery>['execute']>>[number];

export type DoctorRecord = {
	id: number;
	accountId: number;
	studioId: number;
	communityId: number;
	active: boolean;
	name: string;
	title: { zh: string; en: string };
	services: Service[];
	studio: { zh: string; en: string };
	address: { zh: string; en: string };
	directions: { zh: string | null; en: string | null };
	phone: string | null;
	stepFree: boolean;
};

function record(r: DoctorRow): DoctorRecord {
	return {
		id: r.id,
		accountId: r.account_id,
		studioId: r.studio_id,
		communityId: r.community_id,
		active: r.active,
		name: `${r.family_name}${r.given_name}`,
		title: { zh: r.title_zh, en: r.title_en },
		services: r.services.filter(isService),
		studio: { zh: r.studio_zh, en: r.studio_en },
		address: { zh: r.address_zh, en: r.address_en },
		directions: { zh: r.directions_zh, en: r.directions_en },
		phone: r.phone,
		stepFree: r.step_free
	};
}

export async function doctorRecord(db: Kysely<Database>, doctorId: number): Promise<DoctorRecord | null> {
	const row = await doctorsQuery(db).where('doctor.id', '=', doctorId).executeTakeFirst();
	return row ? record(row) : null;
}

/** The doctor record of a signed-in account (the doctor's own agenda), or null. */
export async function doctorOfAccount(db: Kysely<Database>, accountId: number): Promise<DoctorRecord | null> {
	const row = await doctorsQuery(db).where('doctor.account_id', '=', accountId).where('doctor.active', '=', true).executeTakeFirst();
	return row ? record(row) : null;
}

export type DoctorView = ReturnType<typeof localDoctor>;

export function localDoctor(d: DoctorRecord, locale: Locale) {
	const en = locale === 'en';
	return {
		id: d.id,
		studioId: d.studioId,
		name: d.name,
		title: en ? d.title.en : d.title.zh,
		services: d.services,
		studio: en ? d.studio.en : d.studio.zh,
		address: en ? d.address.en : d.address.zh,
		directions: en ? d.directions.en : d.directions.zh,
		phone: d.phone,
		stepFree: d.stepFree
	};
}

/** Every studio with its active doctors, for the public list. */
export async function studioDirectory(db: Kysely<Database>, locale: Locale) {
	const [studios, doctors] = await Promise.all([
		db
			.selectFrom('doctor_studio')
			.innerJoin('community', 'community.id', 'doctor_studio.community_id')
			.selectAll('doctor_studio')
			.select(['community.name_zh as community_zh', 'community.name_en as community_en'])
			.orderBy('doctor_studio.community_id')
			.orderBy('doctor_studio.id')
			.execute(),
		doctorsQuery(db).where('doctor.active', '=', true).orderBy('doctor.id').execute()
	]);
	const en = locale === 'en';
	return studios.map((s) => ({
		id: s.id,
		name: en ? s.name_en : s.name_zh,
		community: en ? s.community_en : s.community_zh,
		address: en ? s.address_en : s.address_zh,
		directions: en ? s.directions_en : s.directions_zh,
		phone: s.phone,
		stepFree: s.step_free,
		doctors: doctors.filter((d) => d.studio_id === s.id).map((d) => localDoctor(record(d), locale))
	}));
}
