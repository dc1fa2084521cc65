/**
 * People: the records that bookings, enrolments and certificates belong to, with or without an
 * account. Staff act on people of their own communities only; the checks are here, not in routes.
 */
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit';
import { now, today } from '../clock';
import type { Database } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { scopeOf, type RoleGrant } from '../auth/roles';

export type PersonInput = {
	familyName: string;
	givenName: string;
	displayName: string | null;
	phone: string | null;
	email: string | null;
	birthYear: number | null;
	communityId: number;
};

/** Who acts: a staff account, or the system itself (demo data, imports) with accountId null. */
export type Actor = { accountId: number | null; roles: RoleGrant[] };

/** Whether staff may act in a community. */
export function staffCovers(actor: Actor, communityId: number | null): boolean {
	const scope = scopeOf(actor.roles, 'staff');
	return scope === 'all' || (communityId !== null && scope.includes(communityId));
}

export async function currentCommunity(db: Kysely<Database>, personId: number): Promise<number | null> {
	const row = await db
		.selectFrom('community_membership')
		.select('community_id')
		.where('person_id', '=', personId)
		.where('valid_to', 'is', null)
		.executeTakeFirst();
	return row?.community_id ?? null;
}

/**
 * Moves a person to another community from today on. The old membership ends today, so statistics
 * of the past stay with the community where they happened; a move on the day of the last one
 * simply corrects it.
 */
export async function moveToCommunity(db: Kysely<Database>, personId: number, communityId: number): Promise<void> {
	const day = today();
	const current = await db
		.selectFrom('community_membership')
		.select(['id', 'community_id', 'valid_from'])
		.where('person_id', '=', personId)
		.where('valid_to', 'is', null)
		.forUpdate()
		.executeTakeFirst();
	if (current?.community_id === communityId) return;
	if (current && current.valid_from >= day) {
		await db
			.updateTable('community_membership')
			.set({ community_id: communityId, recorded_at: now() })
			.where('id', '=', current.id)
			.execute();
		return;
	}
	if (current) await db.updateTable('community_membership').set({ valid_to: day }).where('id', '=', current.id).execute();
	await db
		.insertInto('community_membership')
		.values({ person_id: personId, community_id: communityId, valid_from: day, recorded_at: now() })
		.execute();
}

function personColumns(input: PersonInput) {
	return {
		family_name: input.familyName,
		given_name: input.givenName,
		display_name: input.displayName,
		phone: input.phone,
		email: input.email,
		birth_year: input.birthYear
	};
}

/** A new person and their membership of a community from today; in the caller's transaction. */
export async function insertPerson(trx: Kysely<Database>, input: PersonInput): Promise<number> {
	const at = now();
	const person = await trx
		.insertInto('person')
		.values({ ...personColumns(input), created_at: at, updated_at: at })
		.returning('id')
		.executeTakeFirstOrThrow();
	await trx
		.insertInto('community_membership')
		.values({ person_id: person.id, community_id: input.communityId, valid_from: today(), recorded_at: at })
		.execute();
	return person.id;
}

/** Overwrites a person's details and moves them to the given community if it changed. */
export async function writePersonDetails(trx: Kysely<Database>, personId: number, input: PersonInput): Promise<void> {
	await trx
		.updateTable('person')
		.set({ ...personColumns(input), updated_at: now() })
		.where('id', '=', personId)
		.execute();
	await moveToCommunity(trx, personId, input.communityId);
}

export type PersonChangeResult = { ok: true; personId: number } | { ok: false; reason: 'out-of-scope' | 'unknown-community' | 'not-found' };

async function communityExists(db: Kysely<Database>, id: number): Promise<boolean> {
	return !!(await db.selectFrom('community').select('id').where('id', '=', id).executeTakeFirst());
}

/** A walk-in recorded by staff of the person's community. */
export async function createPerson(db: Kysely<Database>, actor: Actor, input: PersonInput): Promise<PersonChangeResult> {
	if (!staffCovers(actor, input.communityId)) return { ok: false, reason: 'out-of-scope' };
	return db.transaction().execute(async (trx) => {
		if (!(await communityExists(trx, input.communityId))) return { ok: false as const, reason: 'unknown-community' as const };
		const person = { id: await insertPerson(trx, input) };
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'person.create',
			subjectType: 'person',
			subjectId: person.id,
			communityId: input.communityId
		});
		return { ok: true as const, personId: person.id };
	});
}

/** Staff correct a person's record; both the old and the new community must be theirs. */
export async function updatePerson(db: Kysely<Database>, actor: Actor, personId: number, input: PersonInput): Promise<PersonChangeResult> {
	return db.transaction().execute(async (trx) => {
		const from = await currentCommunity(trx, personId);
		const exists = await trx.selectFrom('person').select('id').where('id', '=', personId).forUpdate().executeTakeFirst();
		if (!exists) return { ok: false as const, reason: 'not-found' as const };
		if (!staffCovers(actor, from) || !staffCovers(actor, input.communityId)) return { ok: false as const, reason: 'out-of-scope' as const };
		if (!(await communityExists(trx, input.communityId))) return { ok: false as const, reason: 'unknown-community' as const };
		await writePersonDetails(trx, personId, input);
		await audit(trx, {
			actorAccountId: actor.accountId,
			action: 'person.update',
			subjectType: 'person',
			subjectId: personId,
			communityId: input.communityId
		});
		return { ok: true as const, personId };
	});
}

export type PersonSummary = {
	id: number;
	familyName: string;
	givenName: string;
	displayName: string | null;
	phone: string | null;
	birthYear: number | null;
	communityId: number | null;
	hasAccount: boolean;
};

/** People of the actor's communities whose name contains, or phone starts with, the query. */
export async function searchPeople(db: Kysely<Database>, actor: Actor, query: string, limit = 50): Promise<PersonSummary[]> {
	const scope = scopeOf(actor.roles, 'staff');
	if (scope !== 'all' && scope.length === 0) return [];
	const q = query.trim();
	let select = db
		.selectFrom('person')
		.innerJoin('community_membership as m', (join) => join.onRef('m.person_id', '=', 'person.id').on('m.valid_to', 'is', null))
		.leftJoin('account', 'account.person_id', 'person.id')
		.select([
			'person.id',
			'person.family_name',
			'person.given_name',
			'person.display_name',
			'person.phone',
			'person.birth_year',
			'm.community_id',
			'account.id as account_id'
		]);
	if (scope !== 'all') select = select.where('m.community_id', 'in', scope);
	if (q) {
		const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		// Digits search phones by their start; a name search must not match every phone by accident.
		const digits = /^[\d\s+-]{3,}$/.test(q) ? q.replace(/\D/g, '') : null;
		select = select.where((eb) =>
			eb.or([
				eb(sql<string>`person.family_name || person.given_name`, 'like', like),
				eb('person.display_name', 'like', like),
				...(digits ? [eb('person.phone', 'like', `${digits}%`)] : [])
			])
		);
	}
	const rows = await select.orderBy('person.family_name').orderBy('person.given_name').orderBy('person.id').limit(limit).execute();
	return rows.map((r) => ({
		id: r.id,
		familyName: r.family_name,
		givenName: r.given_name,
		displayName: r.display_name,
		phone: r.phone,
		birthYear: r.birth_year,
		communityId: r.community_id,
		hasAccount: r.account_id !== null
	}));
}

export type PersonRecord = PersonSummary & {
	email: string | null;
	accountId: number | null;
	loginPhone: string | null;
	loginEmail: string | null;
	accountHasPassword: boolean;
};

/** One person for staff of their community (the view is audited by the caller's route). */
export async function personForStaff(db: Kysely<Database>, actor: Actor, personId: number): Promise<PersonRecord | null> {
	const row = await db
		.selectFrom('person')
		.leftJoin('community_membership as m', (join) => join.onRef('m.person_id', '=', 'person.id').on('m.valid_to', 'is', null))
		.leftJoin('account', 'account.person_id', 'person.id')
		.select([
			'person.id',
			'person.family_name',
			'person.given_name',
			'person.display_name',
			'person.phone',
			'person.email',
			'person.birth_year',
			'm.community_id',
			'account.id as account_id',
			'account.login_phone',
			'account.login_email',
			'account.password_hash'
		])
		.where('person.id', '=', personId)
		.executeTakeFirst();
	if (!row || !staffCovers(actor, row.community_id)) return null;
	return {
		id: row.id,
		familyName: row.family_name,
		givenName: row.given_name,
		displayName: row.display_name,
		phone: row.phone,
		email: row.email,
		birthYear: row.birth_year,
		communityId: row.community_id,
		hasAccount: row.account_id !== null,
		accountId: row.account_id,
		loginPhone: row.login_phone,
		loginEmail: row.login_email,
		// Whether, never what: the hash stays on the server.
		accountHasPassword: row.password_hash !== null
	};
}

export type OpenAccountResult =
	{ ok: true; accountId: number } | { ok: false; reason: 'out-of-scope' | 'has-account' | 'no-login' | 'login-taken' };

/** Staff open an account (no password yet) for a person of their community; the link comes next. */
export async function openAccountFor(db: Kysely<Database>, actor: Actor, personId: number): Promise<OpenAccountResult> {
	const person = await personForStaff(db, actor, personId);
	if (!person) return { ok: false, reason: 'out-of-scope' };
	if (person.hasAccount) return { ok: false, reason: 'has-account' };
	if (!person.phone && !person.email) return { ok: false, reason: 'no-login' };
	try {
		return await db.transaction().execute(async (trx) => {
			const account = await trx
				.insertInto('account')
				.values({ person_id: personId, login_phone: person.phone, login_email: person.email, created_at: now() })
				.returning('id')
				.executeTakeFirstOrThrow();
			await trx
				.insertInto('account_role')
				.values({ account_id: account.id, role: 'resident', granted_at: now(), granted_by: actor.accountId })
				.execute();
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: 'account.open_for_person',
				subjectType: 'account',
				subjectId: account.id,
				communityId: person.communityId
			});
			return { ok: true as const, accountId: account.id };
		});
	} catch (error) {
		if (isUniqueViolation(error, 'account_login_phone_key') || isUniqueViolation(error, 'account_login_email_key'))
			return { ok: false, reason: 'login-taken' };
		throw error;
	}
}
