/** A studio with a doctor working weekday mornings (09:00–12:00 Shanghai, 30-minute slots). */
import type { Kysely } from 'kysely';
import type { Database } from '../../src/lib/server/db/schema';
import { doctorRecord, type DoctorRecord } from '../../src/lib/server/doctors/directory';
import { addRule } from '../../src/lib/server/doctors/practice';
import { createStudio } from '../../src/lib/server/doctors/studios';
import { linkDoctor } from '../../src/lib/server/doctors/studios';
import { createAccount, createCommunity } from '../helpers/factories';

export const everywhere = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };

export const studioInput = (communityId: number) => ({
	communityId,
	nameZh: '东门家庭医生工作室',
	nameEn: 'Dongmen family doctor studio',
	addressZh: '解放路 1 号',
	addressEn: '1 Jiefang Road',
	directionsZh: null,
	directionsEn: null,
	phone: '0755-12345678',
	stepFree: true
});

export async function studioWithDoctor(db: Kysely<Database>, options: { weekdays?: number[]; communityId?: number } = {}) {
	const communityId = options.communityId ?? (await createCommunity(db)).id;
	const studio = await createStudio(db, everywhere, studioInput(communityId));
	if (!studio.ok) throw new Error('setup: studio');
	const account = await createAccount(db, { roles: ['doctor'] });
	const linked = await linkDoctor(db, everywhere, studio.studioId, {
		phone: account.login,
		titleZh: '全科医生',
		titleEn: 'General practitioner',
		services: ['consultation', 'chronic_follow_up']
	});
	if (!linked.ok) throw new Error(`setup: link ${linked.reason}`);
	const row = await db.selectFrom('doctor').select('id').where('account_id', '=', account.accountId).executeTakeFirstOrThrow();
	const doctor = (await doctorRecord(db, row.id)) as DoctorRecord;
	for (const weekday of options.weekdays ?? [1, 2, 3, 4, 5]) {
		await addRule(db, doctor, {
			weekday,
			startTime: '09:00',
			endTime: '12:00',
			slotMinutes: 30,
			validFrom: '2026-11-01',
			validTo: '2027-06-30'
		});
	}
	return { communityId, studioId: studio.studioId, doctor, account };
}

export async function resident(db: Kysely<Database>) {
	const a = await createAccount(db);
	return { ...a, actor: { accountId: a.accountId, personId: a.personId } };
}
