/** A holder's own certificates: the list, and what the PDF and the QR page need. */
import { sql, type Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { shanghaiDate, today } from '../clock';
import type { Database } from '../db/schema';
import type { CertificateContent } from './pdf';

export type MyCertificate = {
	id: number;
	number: string;
	courseId: number;
	course: string;
	trainedOn: string;
	validUntil: string;
	status: 'valid' | 'expired' | 'revoked';
	/** Valid, ends within 90 days, and no later certificate of the same course is valid. */
	expiresSoon: boolean;
};

export async function myCertificates(db: Kysely<Database>, personId: number, locale: Locale): Promise<MyCertificate[]> {
	const rows = await db
		.selectFrom('certificate')
		.innerJoin('training_course', 'training_course.id', 'certificate.course_id')
		.select([
			'certificate.id',
			'certificate.number',
			'certificate.trained_on',
			'certificate.valid_until',
			'certificate.revoked_at',
			'certificate.course_id',
			'training_course.title_zh',
			'training_course.title_en'
		])
		.where('certificate.person_id', '=', personId)
		.orderBy('certificate.valid_until', 'desc')
		.orderBy('certificate.id', 'desc')
		.execute();
	const now = today();
	const soon = shanghaiDate(new Date(Date.parse(`${now}T12:00:00+08:00`) + 90 * 86_400_000));
	// Ordered by validity, newest first: the first valid one of a course is the one that counts.
	const counted = new Set<number>();
	return rows.map((r) => {
		const status = r.revoked_at ? 'revoked' : r.valid_until < now ? 'expired' : 'valid';
		const renewed = counted.has(r.course_id);
		if (status === 'valid') counted.add(r.course_id);
		return {
			id: r.id,
			number: r.number,
			courseId: r.course_id,
			course: locale === 'en' ? r.title_en : r.title_zh,
			trainedOn: r.trained_on,
			validUntil: r.valid_until,
			status,
			expiresSoon: status === 'valid' && !renewed && r.valid_until <= soon
		};
	});
}

/** What a certificate prints, selected once for the holder's copy and the trainer's class print. */
function printed(db: Kysely<Database>) {
	return db
		.selectFrom('certificate')
		.innerJoin('training_course', 'training_course.id', 'certificate.course_id')
		.innerJoin('reservation', 'reservation.id', 'certificate.reservation_id')
		.innerJoin('training_session', 'training_session.occurrence_id', 'reservation.occurrence_id')
		.innerJoin('account as trainer', 'trainer.id', 'training_session.trainer_account_id')
		.innerJoin('person as trainer_person', 'trainer_person.id', 'trainer.person_id')
		.leftJoin('certificate as old', 'old.id', 'certificate.replaces_id')
		.select([
			'certificate.id',
			'certificate.number',
			'certificate.verification_code',
			'certificate.holder_family_name',
			'certificate.holder_given_name',
			'certificate.trained_on',
			'certificate.valid_until',
			'certificate.issued_at',
			'certificate.revoked_at',
			'training_course.title_zh',
			'training_course.title_en',
			'training_session.venue_zh',
			'training_session.venue_en',
			sql<string>`trainer_person.family_name || trainer_person.given_name`.as('trainer'),
			'old.number as replaces'
		]);
}

type Printed = Omit<CertificateContent, 'verifyUrl'> & { id: number; code: string; revoked: boolean };

function content(row: NonNullable<Awaited<ReturnType<ReturnType<typeof printed>['executeTakeFirst']>>>): Printed {
	return {
		id: row.id,
		number: row.number,
		code: row.verification_code,
		revoked: row.revoked_at !== null,
		holderName: `${row.holder_family_name}${row.holder_given_name}`,
		courseZh: row.title_zh,
		courseEn: row.title_en,
		trainedOn: row.trained_on,
		issuedOn: shanghaiDate(row.issued_at),
		validUntil: row.valid_until,
		venueZh: row.venue_zh,
		venueEn: row.venue_en,
		trainer: row.trainer,
		replaces: row.replaces
	};
}

/** Everything printed on the holder's certificate, or null when it is not theirs. */
export async function holderCertificate(db: Kysely<Database>, personId: number, certificateId: number): Promise<Printed | null> {
	const row = await printed(db)
		.where('certificate.person_id', '=', personId)
		.where('certificate.id', '=', certificateId)
		.executeTakeFirst();
	return row ? content(row) : null;
}

/** The session's live certificates, in the order of the holders' names (for printing the class). */
export async function sessionCertificates(db: Kysely<Database>, occurrenceId: number): Promise<Printed[]> {
	const rows = await printed(db)
		.where('reservation.occurrence_id', '=', occurrenceId)
		.where('certificate.revoked_at', 'is', null)
		.orderBy('certificate.holder_family_name')
		.orderBy('certificate.holder_given_name')
		.orderBy('certificate.id')
		.execute();
	return rows.map(content);
}
