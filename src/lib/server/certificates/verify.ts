/**
 * Public verification: by the QR code's link or by number and family name. The answer
 * names the status, the masked name, the course and the dates — nothing else about the person. A
 * wrong family name and an unknown number get the same neutral answer; a number whose check letter
 * fails "looks mistyped". Every look-up is logged with what was asked and the answer, never who asked.
 */
import { sql, type Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { now, today } from '../clock';
import type { Database } from '../db/schema';
import { looksLikeSecret } from '../tokens';
import { maskedName, parseNumber } from './number';

export type VerifiedStatus = 'valid' | 'expired' | 'revoked';

export type Verification =
	| {
			found: true;
			status: VerifiedStatus;
			name: string;
			course: string;
			number: string;
			trainedOn: string;
			validUntil: string;
			revokedOn: string | null;
			replacedBy: string | null;
	  }
	| { found: false; status: 'unknown' | 'mistyped' }
	/** The holder deleted their account: the certificate existed, nothing about it is shown. */
	| { found: false; status: 'holder_removed' };

function certificates(db: Kysely<Database>) {
	return db
		.selectFrom('certificate')
		.innerJoin('training_course', 'training_course.id', 'certificate.course_id')
		.innerJoin('person', 'person.id', 'certificate.person_id')
		.select((eb) => [
			'person.erased_at',
			'certificate.id',
			'certificate.number',
			'certificate.holder_family_name',
			'certificate.holder_given_name',
			'certificate.trained_on',
			'certificate.valid_until',
			'certificate.revoked_at',
			'training_course.title_zh',
			'training_course.title_en',
			eb
				.selectFrom('certificate as newer')
				.select('newer.number')
				.whereRef('newer.replaces_id', '=', 'certificate.id')
				.orderBy('newer.id', 'desc')
				.limit(1)
				.as('replaced_by')
		]);
}

type Row = Awaited<ReturnType<ReturnType<typeof certificates>['executeTakeFirst']>>;

function view(row: NonNullable<Row>, locale: Locale): Verification {
	if (row.erased_at) return { found: false, status: 'holder_removed' };
	const status: VerifiedStatus = row.revoked_at ? 'revoked' : row.valid_until < today() ? 'expired' : 'valid';
	return {
		found: true,
		status,
		name: maskedName(row.holder_family_name, row.holder_given_name),
		course: locale === 'en' ? row.title_en : row.title_zh,
		number: row.number,
		trainedOn: row.trained_on,
		validUntil: row.valid_until,
		revokedOn: row.revoked_at ? row.revoked_at.toISOString() : null,
		replacedBy: row.replaced_by ?? null
	};
}

/**
 * What was asked, as the log keeps it: at most 64 characters, control characters (a NUL cannot be
 * stored in text at all) as U+FFFD, so that whatever anyone puts in the address is logged, not refused.
 */
function loggable(query: string): string {
	// eslint-disable-next-line no-control-regex -- control characters are what is replaced
	return [...query.slice(0, 64)].map((c) => (/[\u0000-\u001f\u007f-\u009f]/.test(c) ? '\ufffd' : c)).join('');
}

async function logLookup(
	db: Kysely<Database>,
	method: 'code' | 'number',
	query: string,
	result: Verification['status'] | 'limited',
	certificateId: number | null
): Promise<void> {
	await db
		.insertInto('certificate_lookup')
		.values({ at: now(), method, query: loggable(query), result, certificate_id: certificateId })
		.execute();
}

/** What the look-up log says about a certificate row: the same rule as `view`, in SQL. */
const loggedStatus = (day: string) => sql<string>`coalesce((SELECT CASE WHEN f.erased_at IS NOT NULL THEN 'holder_removed'
	WHEN f.revoked_at IS NOT NULL THEN 'revoked' WHEN f.valid_until < ${day} THEN 'expired' ELSE 'valid' END FROM found f), 'unknown')`;

/** The QR code's look-up and its log line in one statement (one round trip: the page is public and busy). */
export async function verifyByCode(db: Kysely<Database>, code: string, locale: Locale): Promise<Verification> {
	if (!looksLikeSecret(code)) {
		await logLookup(db, 'code', code, 'unknown', null);
		return { found: false, status: 'unknown' };
	}
	const row = await db
		.with('found', () => certificates(db).where('certificate.verification_code', '=', code))
		.with('logged', (qb) =>
			qb
				.insertInto('certificate_lookup')
				.columns(['at', 'method', 'query', 'result', 'certificate_id'])
				.expression(
					qb.selectNoFrom([
						sql<Date>`${now()}::timestamptz`.as('at'),
						sql<string>`'code'`.as('method'),
						sql<string>`${loggable(code)}`.as('query'),
						loggedStatus(today()).as('result'),
						sql<number | null>`(SELECT id FROM found)`.as('certificate_id')
					])
				)
		)
		.selectFrom('found')
		.selectAll()
		.executeTakeFirst();
	const result: Verification = row ? view(row, locale) : { found: false, status: 'unknown' };
	return result;
}

/** `malformed` is the form's business (a message next to the field); it is not logged. */
export async function verifyByNumber(
	db: Kysely<Database>,
	input: { number: string; familyName: string },
	locale: Locale
): Promise<Verification | { found: false; status: 'malformed' }> {
	const parsed = parseNumber(input.number);
	if (!parsed.ok && parsed.reason === 'malformed') return { found: false, status: 'malformed' };
	if (!parsed.ok) {
		await logLookup(db, 'number', input.number.trim(), 'mistyped', null);
		return { found: false, status: 'mistyped' };
	}
	const row = await certificates(db).where('certificate.number', '=', parsed.number).executeTakeFirst();
	const family = input.familyName.normalize('NFKC').trim();
	// An erased holder's name is gone: the number alone answers "holder removed".
	const matches = row && (row.erased_at !== null || row.holder_family_name.normalize('NFKC').trim() === family);
	const result: Verification = matches ? view(row, locale) : { found: false, status: 'unknown' };
	await logLookup(db, 'number', parsed.number, result.status, matches ? row.id : null);
	return result;
}

/** A look-up refused by the rate limit is logged too (as 'limited'). */
export async function logLimited(db: Kysely<Database>, method: 'code' | 'number', query: string): Promise<void> {
	await logLookup(db, method, query, 'limited', null);
}
