/**
 * A person's participation history for staff of the person's community (the route checks that and
 * audits the view): reservations of every programme, trainings with their course, certificates.
 * Appointments are listed without their reason: health notes are for the doctor only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { today } from '../clock';

export type HistoryEntry = {
	reservationId: number;
	programme: string;
	titleZh: string;
	titleEn: string;
	courseZh: string | null;
	courseEn: string | null;
	startsAt: Date;
	status: string;
};

export type HistoryCertificate = {
	id: number;
	number: string;
	courseZh: string;
	courseEn: string;
	trainedOn: string;
	validUntil: string;
	state: 'valid' | 'expired' | 'revoked';
};

export const HISTORY_LIMIT = 200;

export async function participationHistory(db: Kysely<Database>, personId: number) {
	const [reservations, certificates] = await Promise.all([
		db
			.selectFrom('reservation as r')
			.innerJoin('occurrence as o', 'o.id', 'r.occurrence_id')
			.leftJoin('training_session as ts', 'ts.occurrence_id', 'o.id')
			.leftJoin('training_course as tc', 'tc.id', 'ts.course_id')
			.select([
				'r.id',
				'o.programme',
				'o.title_zh',
				'o.title_en',
				'tc.title_zh as course_zh',
				'tc.title_en as course_en',
				'o.starts_at',
				'r.status'
			])
			.where('r.person_id', '=', personId)
			.orderBy('o.starts_at', 'desc')
			.orderBy('r.id', 'desc')
			.limit(HISTORY_LIMIT)
			.execute(),
		db
			.selectFrom('certificate as c')
			.innerJoin('training_course as tc', 'tc.id', 'c.course_id')
			.select(['c.id', 'c.number', 'tc.title_zh', 'tc.title_en', 'c.trained_on', 'c.valid_until', 'c.revoked_at'])
			.where('c.person_id', '=', personId)
			.orderBy('c.trained_on', 'desc')
			.orderBy('c.id', 'desc')
			.execute()
	]);
	const day = today();
	return {
		reservations: reservations.map((r): HistoryEntry => ({
			reservationId: r.id,
			programme: r.programme,
			titleZh: r.title_zh,
			titleEn: r.title_en,
			courseZh: r.course_zh,
			courseEn: r.course_en,
			startsAt: r.starts_at,
			status: r.status
		})),
		certificates: certificates.map((c): HistoryCertificate => ({
			id: c.id,
			number: c.number,
			courseZh: c.title_zh,
			courseEn: c.title_en,
			trainedOn: c.trained_on,
			validUntil: c.valid_until,
			state: c.revoked_at ? 'revoked' : c.valid_until < day ? 'expired' : 'valid'
		}))
	};
}
