/**
 * What an admin sees before merging two records: a search by name or phone to pick
 * them, and a preview of both side by side, of what moves from the merged-in record and of the
 * sessions both hold (the kept record's place stays, the other is cancelled with a note). Names
 * and phones are masked as on the public certificate check: enough to tell records apart.
 */
import { sql, type Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { LIVE } from '../booking/model';
import { maskedName } from '../certificates/number';
import type { Database } from '../db/schema';

export const MERGE_SEARCH_LIMIT = 20;

/** 13800138000 → 138****8000; anything shorter keeps only its last two digits. */
export function maskedPhone(phone: string | null): string | null {
	if (!phone) return null;
	return phone.length >= 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : `***${phone.slice(-2)}`;
}

export type MergeCandidate = {
	id: number;
	name: string;
	phone: string | null;
	birthYear: number | null;
	community: string | null;
	hasAccount: boolean;
};

function candidates(db: Kysely<Database>, locale: Locale) {
	return db
		.selectFrom('person')
		.leftJoin('community_membership as m', (j) => j.onRef('m.person_id', '=', 'person.id').on('m.valid_to', 'is', null))
		.leftJoin('community', 'community.id', 'm.community_id')
		.leftJoin('account', 'account.person_id', 'person.id')
		.select(['person.id', 'person.family_name', 'person.given_name', 'person.phone', 'person.birth_year', 'account.id as account_id'])
		.select(locale === 'en' ? 'community.name_en as community' : 'community.name_zh as community')
		.select('account.login_phone')
		.where('person.erased_at', 'is', null);
}

type CandidateRow = Awaited<ReturnType<ReturnType<typeof candidates>['execute']>>[number];

const candidate = (r: CandidateRow): MergeCandidate => ({
	id: r.id,
	name: maskedName(r.family_name, r.given_name),
	phone: maskedPhone(r.phone ?? r.login_phone),
	birthYear: r.birth_year,
	community: r.community,
	hasAccount: r.account_id !== null
});

/** Records whose full or display name contains the query, or whose phone starts with its digits. */
export async function mergeCandidates(db: Kysely<Database>, query: string, locale: Locale): Promise<MergeCandidate[]> {
	const q = query.trim();
	if (!q) return [];
	const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
	const digits = /^[\d\s+-]{3,}$/.test(q) ? q.replace(/\D/g, '') : null;
	const rows = await candidates(db, locale)
		.where((eb) =>
			eb.or([
				eb(sql<string>`person.family_name || person.given_name`, 'like', like),
				eb('person.display_name', 'like', like),
				...(digits ? [eb('person.phone', 'like', `${digits}%`), eb('account.login_phone', 'like', `${digits}%`)] : [])
			])
		)
		.orderBy('person.family_name')
		.orderBy('person.given_name')
		.orderBy('person.id')
		.limit(MERGE_SEARCH_LIMIT)
		.execute();
	return rows.map(candidate);
}

export type MergePreview = {
	keep: MergeCandidate;
	drop: MergeCandidate;
	/** What the merged-in record holds, all of which follows the kept record. */
	moves: { reservations: number; appointments: number; certificates: number; householdLinks: number; memberships: number };
	/** Sessions both records hold: the merged-in record's place there is cancelled with a note. */
	shared: { occurrenceId: number; title: string; startsAt: Date }[];
	/** Why the merge would be refused, if it would (the confirm step then is not offered). */
	blocked: 'same' | 'both-accounts' | null;
};

const count = (n: { n: number | string | bigint }) => Number(n.n);

export async function mergePreview(db: Kysely<Database>, keepId: number, dropId: number, locale: Locale): Promise<MergePreview | null> {
	const rows = await candidates(db, locale).where('person.id', 'in', [keepId, dropId]).execute();
	const keepRow = rows.find((r) => r.id === keepId);
	const dropRow = rows.find((r) => r.id === dropId);
	if (!keepRow || !dropRow) return null;
	const [reservations, appointments, certificates, householdLinks, memberships, shared] = await Promise.all([
		db
			.selectFrom('reservation')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('person_id', '=', dropId)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('appointment')
			.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('reservation.person_id', '=', dropId)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('certificate')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('person_id', '=', dropId)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('household_link')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where((eb) => eb.or([eb('carer_person_id', '=', dropId), eb('member_person_id', '=', dropId)]))
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('community_membership')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('person_id', '=', dropId)
			.executeTakeFirstOrThrow(),
		// The same rule as the merge itself: live reservations of both on one occurrence.
		db
			.selectFrom('reservation as d')
			.innerJoin('reservation as k', (j) => j.onRef('k.occurrence_id', '=', 'd.occurrence_id').on('k.person_id', '=', keepId))
			.innerJoin('occurrence as o', 'o.id', 'd.occurrence_id')
			.select(['o.id', 'o.title_zh', 'o.title_en', 'o.starts_at'])
			.where('d.person_id', '=', dropId)
			.where('d.status', 'in', LIVE)
			.where('k.status', 'in', LIVE)
			.orderBy('o.starts_at')
			.execute()
	]);
	const keep = candidate(keepRow);
	const drop = candidate(dropRow);
	return {
		keep,
		drop,
		moves: {
			reservations: count(reservations),
			appointments: count(appointments),
			certificates: count(certificates),
			householdLinks: count(householdLinks),
			memberships: count(memberships)
		},
		shared: shared.map((s) => ({ occurrenceId: s.id, title: locale === 'en' ? s.title_en : s.title_zh, startsAt: s.starts_at })),
		blocked: keepId === dropId ? 'same' : keep.hasAccount && drop.hasAccount ? 'both-accounts' : null
	};
}
