/**
 * Issuing certificates: to one trainee or to the whole class that attended and passed
 * every skill, all or nothing. The database keeps one live certificate per enrolment (a partial
 * unique index): a second click or a race gets the certificate that exists. Names are what the
 * person's record holds once the trainer has confirmed (or filled in) them, and must be drawable by
 * the certificate's font before anything is written.
 */
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit';
import { endOfMonthAfter, now, shanghaiDate, today } from '../clock';
import type { Database } from '../db/schema';
import { notify } from '../notifications/notify';
import { staffCovers, type Actor } from '../people/people';
import { randomSecret } from '../tokens';
import { formatNumber } from './number';
import { missingCharacters } from './pdf';

export type Enrolment = {
	reservationId: number;
	personId: number;
	familyName: string;
	givenName: string;
	occurrenceId: number;
	communityId: number | null;
	courseId: number;
	courseZh: string;
	courseEn: string;
	validityMonths: number;
	trainerAccountId: number;
	trainerName: string;
	venueZh: string;
	venueEn: string;
	trainedOn: string;
	attended: boolean;
	passedAll: boolean;
};

function enrolments(db: Kysely<Database>) {
	return db
		.selectFrom('reservation')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.innerJoin('training_session', 'training_session.occurrence_id', 'occurrence.id')
		.innerJoin('training_course', 'training_course.id', 'training_session.course_id')
		.innerJoin('person', 'person.id', 'reservation.person_id')
		.innerJoin('account as trainer', 'trainer.id', 'training_session.trainer_account_id')
		.innerJoin('person as trainer_person', 'trainer_person.id', 'trainer.person_id')
		.select((eb) => [
			'reservation.id as reservationId',
			'reservation.person_id as personId',
			'person.family_name as familyName',
			'person.given_name as givenName',
			'occurrence.id as occurrenceId',
			'occurrence.community_id as communityId',
			'occurrence.starts_at as startsAt',
			'training_course.id as courseId',
			'training_course.title_zh as courseZh',
			'training_course.title_en as courseEn',
			'training_course.validity_months as validityMonths',
			'training_session.trainer_account_id as trainerAccountId',
			sql<string>`trainer_person.family_name || trainer_person.given_name`.as('trainerName'),
			'training_session.venue_zh as venueZh',
			'training_session.venue_en as venueEn',
			sql<boolean>`reservation.status = 'attended'`.as('attended'),
			// Every skill of the course still in use, signed off as passed.
			eb
				.not(
					eb.exists(
						eb
							.selectFrom('training_skill')
							.select('training_skill.id')
							.whereRef('training_skill.course_id', '=', 'training_course.id')
							.where('training_skill.retired_at', 'is', null)
							.where(({ not, exists, selectFrom }) =>
								not(
									exists(
										selectFrom('training_assessment')
											.select('training_assessment.id')
											.whereRef('training_assessment.skill_id', '=', 'training_skill.id')
											.whereRef('training_assessment.reservation_id', '=', 'reservation.id')
											.where('training_assessment.passed', '=', true)
									)
								)
							)
					)
				)
				.as('passedAll')
		]);
}

function toEnrolment(r: Awaited<ReturnType<ReturnType<typeof enrolments>['execute']>>[number]): Enrolment {
	const { startsAt, ...rest } = r;
	return { ...rest, trainedOn: shanghaiDate(startsAt), attended: !!r.attended, passedAll: !!r.passedAll };
}

/** The enrolments of a training session, with whether each may get a certificate. */
export async function sessionEnrolments(db: Kysely<Database>, occurrenceId: number): Promise<Enrolment[]> {
	const rows = await enrolments(db)
		.where('occurrence.id', '=', occurrenceId)
		.where('reservation.status', 'in', ['attended', 'reserved', 'no_show'])
		.orderBy('reservation.id')
		.execute();
	return rows.map(toEnrolment);
}

/** Whether the actor may issue or revoke for a session: its own trainer, or staff of its community. */
export function mayCertify(actor: Actor, e: Pick<Enrolment, 'trainerAccountId' | 'communityId'>): boolean {
	return (
		(actor.accountId !== null && e.trainerAccountId === actor.accountId && actor.roles.some((r) => r.role === 'trainer')) ||
		staffCovers(actor, e.communityId)
	);
}

/**
 * When a session's certificates may be issued: once it has ended. Attendance opens an hour before
 * the start and results can be recorded as the class goes, but a certificate says the holder
 * completed the whole training and passed its assessment, which is known only at the end (a class
 * once got certificates 38 minutes before its session started). Each trainee must also have
 * attended and passed every skill (`passedAll`).
 */
export function issuingOpen(endsAt: Date, at: Date = now()): boolean {
	return at.getTime() >= endsAt.getTime();
}

export type IssueRefusal =
	| { reason: 'not-found' | 'forbidden' }
	| { reason: 'not-ended'; endsAt: Date }
	| { reason: 'not-eligible'; reservationIds: number[] }
	| { reason: 'missing-characters'; characters: string[]; reservationIds: number[] }
	| { reason: 'nothing-to-issue' };

export type Issued = { reservationId: number; certificateId: number; number: string; existing: boolean };

export type IssueResult = { ok: true; issued: Issued[] } | ({ ok: false } & IssueRefusal);

export type NameConfirmation = { reservationId: number; familyName: string; givenName: string };

/**
 * Issues for the given enrolments, or for every enrolment of the session that attended and passed
 * (`reservationIds` omitted), once the session has ended (`issuingOpen`). One transaction: one
 * enrolment that cannot get a certificate refuses them all. Names given are written to the person's
 * record first (the trainer confirmed them).
 */
export async function issueCertificates(
	db: Kysely<Database>,
	actor: Actor,
	input: { occurrenceId: number; reservationIds?: number[]; names?: NameConfirmation[]; replaces?: number | null }
): Promise<IssueResult> {
	return db.transaction().execute(async (trx): Promise<IssueResult> => {
		// Lock the session's occurrence: a class issue and a single issue of the same session queue.
		const occurrence = await trx
			.selectFrom('occurrence')
			.select(['id', 'ends_at'])
			.where('id', '=', input.occurrenceId)
			.forUpdate()
			.executeTakeFirst();
		if (!occurrence) return { ok: false, reason: 'not-found' };
		const all = await sessionEnrolments(trx, input.occurrenceId);
		const first = all[0] ?? (await sessionOwner(trx, input.occurrenceId));
		if (!first) return { ok: false, reason: 'not-found' };
		if (!mayCertify(actor, first)) return { ok: false, reason: 'forbidden' };
		if (!issuingOpen(occurrence.ends_at)) return { ok: false, reason: 'not-ended', endsAt: occurrence.ends_at };

		const chosen = input.reservationIds
			? all.filter((e) => input.reservationIds!.includes(e.reservationId))
			: all.filter((e) => e.attended && e.passedAll);
		if (input.reservationIds && chosen.length !== new Set(input.reservationIds).size) return { ok: false, reason: 'not-found' };
		const ineligible = chosen.filter((e) => !e.attended || !e.passedAll).map((e) => e.reservationId);
		if (ineligible.length) return { ok: false, reason: 'not-eligible', reservationIds: ineligible };
		if (!chosen.length) return { ok: false, reason: 'nothing-to-issue' };

		for (const name of input.names ?? []) {
			const e = chosen.find((c) => c.reservationId === name.reservationId);
			if (!e || (e.familyName === name.familyName && e.givenName === name.givenName)) continue;
			await trx
				.updateTable('person')
				.set({ family_name: name.familyName, given_name: name.givenName, updated_at: now() })
				.where('id', '=', e.personId)
				.execute();
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: 'person.names_confirmed',
				subjectType: 'person',
				subjectId: e.personId,
				communityId: e.communityId
			});
			e.familyName = name.familyName;
			e.givenName = name.givenName;
		}
		const blank = chosen.filter((e) => !e.familyName.trim() || !e.givenName.trim()).map((e) => e.reservationId);
		if (blank.length) return { ok: false, reason: 'not-eligible', reservationIds: blank };
		const missing = new Set<string>();
		const withMissing: number[] = [];
		for (const e of chosen) {
			const chars = missingCharacters([e.familyName, e.givenName, e.courseZh, e.courseEn, e.venueZh, e.venueEn, e.trainerName]);
			if (chars.length) {
				withMissing.push(e.reservationId);
				chars.forEach((c) => missing.add(c));
			}
		}
		if (withMissing.length) return { ok: false, reason: 'missing-characters', characters: [...missing], reservationIds: withMissing };

		const issued: Issued[] = [];
		const year = Number(today().slice(0, 4));
		for (const e of chosen) {
			const existing = await liveCertificate(trx, e.reservationId);
			if (existing) {
				issued.push({ reservationId: e.reservationId, certificateId: existing.id, number: existing.number, existing: true });
				continue;
			}
			const { seq } = await sql<{ seq: string }>`SELECT nextval('certificate_number_seq') AS seq`.execute(trx).then((r) => r.rows[0]!);
			const number = formatNumber(year, Number(seq));
			// A concurrent issue for the same enrolment waits here, then finds the other's certificate.
			const row = await sql<{ id: number }>`
				INSERT INTO certificate (number, verification_code, reservation_id, person_id, course_id, holder_family_name,
					holder_given_name, trained_on, valid_until, issued_at, issued_by, replaces_id)
				VALUES (${number}, ${randomSecret()}, ${e.reservationId}, ${e.personId}, ${e.courseId}, ${e.familyName}, ${e.givenName},
					${e.trainedOn}, ${endOfMonthAfter(e.trainedOn, e.validityMonths)}, ${now()}, ${actor.accountId}, ${input.replaces ?? null})
				ON CONFLICT (reservation_id) WHERE revoked_at IS NULL DO NOTHING
				RETURNING id`.execute(trx);
			if (!row.rows[0]) {
				const other = (await liveCertificate(trx, e.reservationId))!;
				issued.push({ reservationId: e.reservationId, certificateId: other.id, number: other.number, existing: true });
				continue;
			}
			const certificateId = Number(row.rows[0].id);
			issued.push({ reservationId: e.reservationId, certificateId, number, existing: false });
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: input.replaces ? 'certificate.reissue' : 'certificate.issue',
				subjectType: 'certificate',
				subjectId: certificateId,
				communityId: e.communityId,
				details: { number, replaces: input.replaces ?? null }
			});
			await notify(trx, {
				personId: e.personId,
				kind: 'certificate_issued',
				params: { title_zh: e.courseZh, title_en: e.courseEn, number },
				link: '/me/certificates'
			});
		}
		return { ok: true, issued };
	});
}

async function sessionOwner(trx: Kysely<Database>, occurrenceId: number) {
	return trx
		.selectFrom('training_session')
		.innerJoin('occurrence', 'occurrence.id', 'training_session.occurrence_id')
		.select(['training_session.trainer_account_id as trainerAccountId', 'occurrence.community_id as communityId'])
		.where('training_session.occurrence_id', '=', occurrenceId)
		.executeTakeFirst();
}

async function liveCertificate(trx: Kysely<Database>, reservationId: number) {
	return trx
		.selectFrom('certificate')
		.select(['id', 'number'])
		.where('reservation_id', '=', reservationId)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
}

/**
 * Revokes a certificate with a reason: its session's trainer or staff of its community. Visible at
 * once; the holder is told, with the reason.
 */
export async function revokeCertificate(
	db: Kysely<Database>,
	actor: Actor,
	certificateId: number,
	reason: string
): Promise<{ ok: true } | { ok: false; reason: 'not-found' | 'forbidden' | 'already-revoked' }> {
	return db.transaction().execute(async (trx) => {
		const cert = await trx
			.selectFrom('certificate')
			.innerJoin('reservation', 'reservation.id', 'certificate.reservation_id')
			.innerJoin('training_course', 'training_course.id', 'certificate.course_id')
			.select([
				'certificate.id',
				'certificate.revoked_at',
				'certificate.number',
				'certificate.person_id',
				'reservation.occurrence_id',
				'training_course.title_zh',
				'training_course.title_en'
			])
			.where('certificate.id', '=', certificateId)
			.forUpdate('certificate')
			.executeTakeFirst();
		if (!cert) return { ok: false as const, reason: 'not-found' as const };
		const owner = await sessionOwner(trx, cert.occurrence_id);
		if (!owner || !mayCertify(actor, owner)) return { ok: false as const, reason: 'forbidden' as const };
		if (cert.revoked_at) return { ok: false as const, reason: 'already-revoked' as const };
		await trx
			.updateTable('certificate')
			.set({ revoked_at: now(), revoked_by: actor.accountId, revoke_reason: reason })
			.where('id', '=', certificateId)
			.execute();
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'certificate.revoke',
			subjectType: 'certificate',
			subjectId: certificateId,
			communityId: owner.communityId,
			details: { number: cert.number, reason }
		});
		await notify(trx, {
			personId: cert.person_id,
			kind: 'certificate_revoked',
			params: { title_zh: cert.title_zh, title_en: cert.title_en, number: cert.number, reason },
			link: '/me/certificates'
		});
		return { ok: true as const };
	});
}

/** A new certificate for the enrolment of a revoked one, referring to it. */
export async function reissueCertificate(db: Kysely<Database>, actor: Actor, certificateId: number): Promise<IssueResult> {
	const old = await db
		.selectFrom('certificate')
		.innerJoin('reservation', 'reservation.id', 'certificate.reservation_id')
		.select(['certificate.id', 'certificate.revoked_at', 'certificate.reservation_id', 'reservation.occurrence_id'])
		.where('certificate.id', '=', certificateId)
		.executeTakeFirst();
	if (!old) return { ok: false, reason: 'not-found' };
	// Who may act first: "nothing to issue" would tell anyone that this certificate exists and is valid.
	const owner = await sessionOwner(db, old.occurrence_id);
	if (!owner || !mayCertify(actor, owner)) return { ok: false, reason: 'forbidden' };
	if (!old.revoked_at) return { ok: false, reason: 'nothing-to-issue' };
	return issueCertificates(db, actor, { occurrenceId: old.occurrence_id, reservationIds: [old.reservation_id], replaces: old.id });
}
