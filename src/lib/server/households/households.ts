/**
 * Households: a resident (the carer) looks after family members, who may have no
 * account. A member without an account is added by the carer, who records that the member agreed;
 * a member with an account accepts a link request themself. Ending a link keeps it as history.
 * Who may act for whom is decided here (`mayActFor`), never by an id in a form.
 */
import type { Kysely } from 'kysely';
import { translate, type Locale } from '$lib/i18n';
import { audit } from '../audit';
import { reservationCalendarItems } from '../booking/queries';
import type { CalendarItem } from '../calendar/ical';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { notify } from '../notifications/notify';
import { currentCommunity, insertPerson } from '../people/people';
import { mayActFor } from './care';

export { mayActFor };

export type Carer = { accountId: number; personId: number };

export type MemberInput = {
	familyName: string;
	givenName: string;
	displayName: string | null;
	birthYear: number | null;
	phone: string | null;
};

export type Member = {
	linkId: number;
	personId: number;
	familyName: string;
	givenName: string;
	displayName: string | null;
	birthYear: number | null;
	hasAccount: boolean;
	consentAt: Date | null;
	consentBySelf: boolean;
};

/** A family member without an account, linked at once with the consent the carer records. */
export async function addMember(db: Kysely<Database>, carer: Carer, input: MemberInput): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const communityId = await currentCommunity(trx, carer.personId);
		if (communityId === null) throw new Error('carer without a community');
		const personId = await insertPerson(trx, { ...input, email: null, communityId });
		const at = now();
		await trx
			.insertInto('household_link')
			.values({
				carer_person_id: carer.personId,
				member_person_id: personId,
				status: 'active',
				requested_at: at,
				requested_by: carer.accountId,
				consent_by_person_id: personId,
				consent_recorded_by: carer.accountId,
				consent_at: at
			})
			.execute();
		await audit(trx, {
			actorAccountId: carer.accountId,
			action: 'household.add_member',
			subjectType: 'person',
			subjectId: personId,
			communityId
		});
		return personId;
	});
}

/**
 * Asks the account that logs in with `login` to accept a link. Whether such an account exists is
 * not revealed: the caller says the same either way.
 */
export async function requestLink(db: Kysely<Database>, carer: Carer, login: { phone: string | null; email: string | null }) {
	const target = await db
		.selectFrom('account')
		.select('person_id')
		.where((eb) =>
			eb.or([...(login.phone ? [eb('login_phone', '=', login.phone)] : []), ...(login.email ? [eb('login_email', '=', login.email)] : [])])
		)
		.where('disabled_at', 'is', null)
		.executeTakeFirst();
	if (!target || target.person_id === carer.personId) return;
	await db.transaction().execute(async (trx) => {
		const open = await trx
			.selectFrom('household_link')
			.select('id')
			.where('carer_person_id', '=', carer.personId)
			.where('member_person_id', '=', target.person_id)
			.where('valid_to', 'is', null)
			.where('status', 'in', ['requested', 'active'])
			.executeTakeFirst();
		if (open) return;
		await trx
			.insertInto('household_link')
			.values({
				carer_person_id: carer.personId,
				member_person_id: target.person_id,
				status: 'requested',
				requested_at: now(),
				requested_by: carer.accountId
			})
			.execute();
		await notify(trx, { personId: target.person_id, kind: 'household_request', link: '/me/household' });
	});
}

/** The member answers a request addressed to them; anyone else's link id changes nothing. */
export async function answerRequest(db: Kysely<Database>, member: Carer, linkId: number, accept: boolean): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const link = await trx
			.selectFrom('household_link')
			.select(['id', 'carer_person_id'])
			.where('id', '=', linkId)
			.where('member_person_id', '=', member.personId)
			.where('status', '=', 'requested')
			.where('valid_to', 'is', null)
			.forUpdate()
			.executeTakeFirst();
		if (!link) return false;
		const at = now();
		await trx
			.updateTable('household_link')
			.set(
				accept
					? { status: 'active', consent_by_person_id: member.personId, consent_recorded_by: member.accountId, consent_at: at }
					: { status: 'declined', valid_to: at, ended_by: member.accountId }
			)
			.where('id', '=', link.id)
			.execute();
		await audit(trx, {
			actorAccountId: member.accountId,
			action: accept ? 'household.accept' : 'household.decline',
			subjectType: 'household_link',
			subjectId: link.id
		});
		return true;
	});
}

/** Either side ends a link; it stays as history (valid_to). */
export async function endLink(db: Kysely<Database>, who: Carer, linkId: number): Promise<boolean> {
	const result = await db
		.updateTable('household_link')
		.set({ valid_to: now(), ended_by: who.accountId })
		.where('id', '=', linkId)
		.where('valid_to', 'is', null)
		.where((eb) => eb.or([eb('carer_person_id', '=', who.personId), eb('member_person_id', '=', who.personId)]))
		.executeTakeFirst();
	const ended = Number(result.numUpdatedRows) > 0;
	if (ended) await audit(db, { actorAccountId: who.accountId, action: 'household.end', subjectType: 'household_link', subjectId: linkId });
	return ended;
}

/** The members a person looks after now (active links). */
export async function membersOf(db: Kysely<Database>, carerPersonId: number): Promise<Member[]> {
	const rows = await db
		.selectFrom('household_link as l')
		.innerJoin('person as p', 'p.id', 'l.member_person_id')
		.leftJoin('account as a', 'a.person_id', 'p.id')
		.select([
			'l.id as link_id',
			'p.id',
			'p.family_name',
			'p.given_name',
			'p.display_name',
			'p.birth_year',
			'a.id as account_id',
			'l.consent_at',
			'l.consent_recorded_by'
		])
		.where('l.carer_person_id', '=', carerPersonId)
		.where('l.status', '=', 'active')
		.where('l.valid_to', 'is', null)
		.orderBy('l.id')
		.execute();
	return rows.map((r) => ({
		linkId: r.link_id,
		personId: r.id,
		familyName: r.family_name,
		givenName: r.given_name,
		displayName: r.display_name,
		birthYear: r.birth_year,
		hasAccount: r.account_id !== null,
		consentAt: r.consent_at,
		consentBySelf: r.account_id !== null && r.consent_recorded_by === r.account_id
	}));
}

/** Links that concern the person as a member: requests to answer and the people who look after them. */
export async function carersView(db: Kysely<Database>, memberPersonId: number) {
	return db
		.selectFrom('household_link as l')
		.innerJoin('person as p', 'p.id', 'l.carer_person_id')
		.select(['l.id', 'l.status', 'l.requested_at', 'l.consent_at', 'p.family_name', 'p.given_name'])
		.where('l.member_person_id', '=', memberPersonId)
		.where('l.valid_to', 'is', null)
		.where('l.status', 'in', ['requested', 'active'])
		.orderBy('l.id')
		.execute();
}

/** Ended links, newest first: the household's history. */
export async function pastLinks(db: Kysely<Database>, personId: number) {
	return db
		.selectFrom('household_link as l')
		.innerJoin('person as c', 'c.id', 'l.carer_person_id')
		.innerJoin('person as m', 'm.id', 'l.member_person_id')
		.select(['l.id', 'l.status', 'l.requested_at', 'l.valid_to', 'c.family_name as carer_family', 'c.given_name as carer_given'])
		.select(['m.family_name as member_family', 'm.given_name as member_given'])
		.where((eb) => eb.or([eb('l.carer_person_id', '=', personId), eb('l.member_person_id', '=', personId)]))
		.where('l.valid_to', 'is not', null)
		.orderBy('l.valid_to', 'desc')
		.limit(50)
		.execute();
}

/** The person and everyone they look after now: whose bookings their lists show. */
export async function careSet(db: Kysely<Database>, personId: number): Promise<number[]> {
	return [personId, ...(await membersOf(db, personId)).map((m) => m.personId)];
}

/** The people who look after this person now (they hear about the person's bookings too). */
export async function carersOf(db: Kysely<Database>, memberPersonId: number): Promise<number[]> {
	const rows = await db
		.selectFrom('household_link')
		.select('carer_person_id')
		.where('member_person_id', '=', memberPersonId)
		.where('status', '=', 'active')
		.where('valid_to', 'is', null)
		.execute();
	return rows.map((r) => r.carer_person_id);
}

export const memberName = (m: { familyName: string; givenName: string; displayName: string | null }) =>
	m.displayName ?? `${m.familyName}${m.givenName}`;

/** The people a booking form offers: the person themself first, then the members they look after. */
export async function bookingChoices(db: Kysely<Database>, personId: number) {
	return (await membersOf(db, personId)).map((m) => ({ personId: m.personId, name: memberName(m) }));
}

/**
 * Whom a booking form's `for` field names: nothing or the person's own id is themself; a member is
 * accepted only while the link is active. null: refused (someone else's id typed into the form).
 */
export async function bookingPerson(db: Kysely<Database>, personId: number, raw: FormDataEntryValue | null): Promise<number | null> {
	if (raw === null || raw === '' || raw === 'self') return personId;
	if (typeof raw !== 'string' || !/^[1-9]\d{0,14}$/.test(raw)) return null;
	const chosen = Number(raw);
	return (await mayActFor(db, personId, chosen)) ? chosen : null;
}

/**
 * Whose reservation this is, when `personId` may act for them (themself or a member they look
 * after); otherwise `personId` itself, so the services answer "not found" as for anyone else's id.
 */
export async function reservationHolder(db: Kysely<Database>, personId: number, reservationId: number): Promise<number> {
	const row = await db.selectFrom('reservation').select('person_id').where('id', '=', reservationId).executeTakeFirst();
	if (!row || row.person_id === personId) return personId;
	return (await mayActFor(db, personId, row.person_id)) ? row.person_id : personId;
}

/** The full name of a reservation's holder, for the pages a carer opens for a member. */
export async function holderName(db: Kysely<Database>, personId: number): Promise<string> {
	const p = await db.selectFrom('person').select(['family_name', 'given_name']).where('id', '=', personId).executeTakeFirstOrThrow();
	return `${p.family_name}${p.given_name}`;
}

/** Labels for list items that belong to a member: person id → name (the person's own items get none). */
export async function memberLabels(db: Kysely<Database>, personId: number): Promise<Map<number, string>> {
	return new Map((await bookingChoices(db, personId)).map((c) => [c.personId, c.name]));
}

/**
 * The carer's calendar feed holds the bookings of the members they look after, each titled with
 * whom it is for (a member's own feed, if they have one, holds it as theirs).
 */
export async function householdCalendarItems(
	db: Kysely<Database>,
	personId: number,
	locale: Locale,
	endingAfter?: Date
): Promise<CalendarItem[]> {
	const members = await bookingChoices(db, personId);
	const lists = await Promise.all(members.map((m) => reservationCalendarItems(db, m.personId, locale, endingAfter)));
	return members.flatMap((member, i) =>
		lists[i]!.map((item) => ({ ...item, title: `${translate(locale, 'booking.forName', { name: member.name })}: ${item.title}` }))
	);
}
