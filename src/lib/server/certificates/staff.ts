/**
 * Certificates for staff (issue #9, item 5): find a certificate of their communities by number,
 * holder name or phone, see it whole, and revoke or re-issue it. A certificate belongs to the
 * community of the session it was earned in; staff limited to a community see only those, and a
 * certificate outside their scope looks the same as one that does not exist.
 */
import { sql, type Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { scopeOf } from '../auth/roles';
import type { Actor } from '../people/people';
import { today } from '../clock';
import type { Database } from '../db/schema';
import { parseNumber } from './number';

export type StaffCertificate = {
	id: number;
	number: string;
	holder: string;
	personId: number;
	course: string;
	community: string;
	trainedOn: string;
	validUntil: string;
	status: 'valid' | 'expired' | 'revoked';
	occurrenceId: number;
};

export type StaffCertificateDetail = StaffCertificate & {
	code: string;
	issuedAt: string;
	issuedBy: string | null;
	trainer: string;
	revokedAt: string | null;
	revokedBy: string | null;
	revokeReason: string | null;
	replaces: string | null;
	replacedBy: string | null;
	/** Revoked, its enrolment still passed, and no live certificate holds the enrolment. */
	canReissue: boolean;
};

function scoped(db: Kysely<Database>, actor: Actor) {
	const scope = scopeOf(actor.roles, 'staff');
	let q = db
		.selectFrom('certificate')
		.innerJoin('training_course as course', 'course.id', 'certificate.course_id')
		.innerJoin('reservation', 'reservation.id', 'certificate.reservation_id')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.innerJoin('community', 'community.id', 'occurrence.community_id')
		.innerJoin('person', 'person.id', 'certificate.person_id');
	if (scope !== 'all') q = q.where('occurrence.community_id', 'in', scope.length ? scope : [0]);
	return q.select([
		'certificate.id',
		'certificate.number',
		'certificate.holder_family_name',
		'certificate.holder_given_name',
		'certificate.person_id',
		'certificate.trained_on',
		'certificate.valid_until',
		'certificate.revoked_at',
		'course.title_zh',
		'course.title_en',
		'community.name_zh as community_zh',
		'community.name_en as community_en',
		'occurrence.id as occurrence_id'
	]);
}

type Row = Awaited<ReturnType<ReturnType<typeof scoped>['execute']>>[number];

function summary(r: Row, locale: Locale): StaffCertificate {
	return {
		id: r.id,
		number: r.number,
		holder: `${r.holder_family_name}${r.holder_given_name}`,
		personId: r.person_id,
		course: locale === 'en' ? r.title_en : r.title_zh,
		community: locale === 'en' ? r.community_en : r.community_zh,
		trainedOn: r.trained_on,
		validUntil: r.valid_until,
		status: r.revoked_at ? 'revoked' : r.valid_until < today() ? 'expired' : 'valid',
		occurrenceId: r.occurrence_id
	};
}

/**
 * Certificates matching a number (as people type it), a holder's name (any part) or the start of a
 * phone number; newest first. A mistyped number says so instead of searching.
 */
export async function findCertificates(
	db: Kysely<Database>,
	actor: Actor,
	query: string,
	locale: Locale,
	limit = 50
): Promise<{ ok: true; certificates: StaffCertificate[] } | { ok: false; reason: 'mistyped' }> {
	const q = query.trim();
	let select = scoped(db, actor);
	const number = parseNumber(q);
	if (number.ok) select = select.where('certificate.number', '=', number.number);
	else if (number.reason === 'mistyped') return { ok: false, reason: 'mistyped' };
	else {
		const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		const digits = /^[\d\s+-]{3,}$/.test(q) ? q.replace(/\D/g, '') : null;
		select = select.where((eb) =>
			eb.or([
				eb(sql<string>`certificate.holder_family_name || certificate.holder_given_name`, 'like', like),
				eb(sql<string>`person.family_name || person.given_name`, 'like', like),
				eb('certificate.number', 'like', like.toUpperCase()),
				...(digits ? [eb('person.phone', 'like', `${digits}%`)] : [])
			])
		);
	}
	const rows = await select.orderBy('certificate.id', 'desc').limit(limit).execute();
	return { ok: true, certificates: rows.map((r) => summary(r, locale)) };
}

/** One certificate whole, or null when it does not exist or lies outside the staff member's scope. */
export async function certificateForStaff(
	db: Kysely<Database>,
	actor: Actor,
	certificateId: number,
	locale: Locale
): Promise<StaffCertificateDetail | null> {
	const row = await scoped(db, actor)
		.innerJoin('training_session', 'training_session.occurrence_id', 'occurrence.id')
		.innerJoin('account as trainer', 'trainer.id', 'training_session.trainer_account_id')
		.innerJoin('person as trainer_person', 'trainer_person.id', 'trainer.person_id')
		.leftJoin('account as issuer', 'issuer.id', 'certificate.issued_by')
		.leftJoin('person as issuer_person', 'issuer_person.id', 'issuer.person_id')
		.leftJoin('account as revoker', 'revoker.id', 'certificate.revoked_by')
		.leftJoin('person as revoker_person', 'revoker_person.id', 'revoker.person_id')
		.leftJoin('certificate as old', 'old.id', 'certificate.replaces_id')
		.select((eb) => [
			'certificate.verification_code',
			'certificate.issued_at',
			'certificate.revoke_reason',
			'certificate.reservation_id',
			sql<string>`trainer_person.family_name || trainer_person.given_name`.as('trainer'),
			sql<string | null>`issuer_person.family_name || issuer_person.given_name`.as('issuer'),
			sql<string | null>`revoker_person.family_name || revoker_person.given_name`.as('revoker'),
			'old.number as replaces',
			eb
				.selectFrom('certificate as newer')
				.select('newer.number')
				.whereRef('newer.replaces_id', '=', 'certificate.id')
				.orderBy('newer.id', 'desc')
				.limit(1)
				.as('replaced_by'),
			eb
				.selectFrom('certificate as live')
				.select(sql<number>`1`.as('one'))
				.whereRef('live.reservation_id', '=', 'certificate.reservation_id')
				.where('live.revoked_at', 'is', null)
				.limit(1)
				.as('live_exists')
		])
		.where('certificate.id', '=', certificateId)
		.executeTakeFirst();
	if (!row) return null;
	return {
		...summary(row, locale),
		code: row.verification_code,
		issuedAt: row.issued_at.toISOString(),
		issuedBy: row.issuer,
		trainer: row.trainer,
		revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
		revokedBy: row.revoker,
		revokeReason: row.revoke_reason,
		replaces: row.replaces,
		replacedBy: row.replaced_by ?? null,
		canReissue: row.revoked_at !== null && row.live_exists === null
	};
}
