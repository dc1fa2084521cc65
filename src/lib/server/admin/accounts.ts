/**
 * Accounts as admins manage them: search, one account's record, disable and re-enable, and roles
 * with an optional community scope. Each change is audited in the same transaction; nothing here
 * knows HTTP. Audit details hold roles and ids only, never names or numbers.
 */
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { DEMO_ACCOUNTS } from '../demo/seed';
import { isRole, type Role } from '../auth/roles';
import { invalidateAccountSessions } from '../auth/session';

export const SEARCH_LIMIT = 50;

/**
 * Roles that can be limited to one community. An admin limited to a community would still pass
 * every admin check (admin pages concern no single community), and a resident's community is their
 * membership, so those two are granted for all communities only.
 */
export const SCOPABLE_ROLES: readonly Role[] = ['trainer', 'doctor', 'staff'];

type Db = Kysely<Database>;

/** The community a person belongs to on `onDate` (membership is history, not a field). */
function currentCommunityName(eb: ExpressionBuilder<Database, 'person'>, locale: Locale, onDate: string) {
	return eb
		.selectFrom('community_membership as m')
		.innerJoin('community as c', 'c.id', 'm.community_id')
		.select(locale === 'en' ? 'c.name_en' : 'c.name_zh')
		.whereRef('m.person_id', '=', 'person.id')
		.where('m.valid_from', '<=', onDate)
		.where((eb) => eb.or([eb('m.valid_to', 'is', null), eb('m.valid_to', '>', onDate)]))
		.orderBy('m.valid_from', 'desc')
		.limit(1);
}

/** `%` and `_` typed by the admin are looked for literally. */
function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type AccountHit = {
	accountId: number;
	familyName: string;
	givenName: string;
	displayName: string | null;
	phone: string | null;
	email: string | null;
	community: string | null;
	roles: Role[];
	disabled: boolean;
};

/**
 * Accounts whose person's name (family, given, both together, or display name), phone or log-in
 * e-mail contains `query`. At most SEARCH_LIMIT hits; `more` says that others were left out.
 */
export async function searchAccounts(
	db: Db,
	query: string,
	options: { locale: Locale; onDate: string }
): Promise<{ hits: AccountHit[]; more: boolean }> {
	const text = query.trim();
	if (text === '') return { hits: [], more: false };
	// Phone numbers are stored as bare digits: '138 0013' and '138-0013' are looked for as '1380013'.
	const digits = /^[\d\s\-+()]+$/.test(text) ? text.replace(/\D/g, '') : null;
	const pattern = likePattern(text);
	const rows = await db
		.selectFrom('account')
		.innerJoin('person', 'person.id', 'account.person_id')
		.select((eb) => [
			'account.id',
			'account.login_phone',
			'account.login_email',
			'account.disabled_at',
			'person.family_name',
			'person.given_name',
			'person.display_name',
			currentCommunityName(eb, options.locale, options.onDate).as('community')
		])
		.where((eb) =>
			eb.or([
				// Family and given name together also finds either part alone.
				eb(sql<string>`person.family_name || person.given_name`, 'ilike', pattern),
				eb('person.display_name', 'ilike', pattern),
				eb('account.login_email', 'ilike', pattern),
				...(digits ? [eb('account.login_phone', 'like', likePattern(digits)), eb('person.phone', 'like', likePattern(digits))] : [])
			])
		)
		.orderBy('person.family_name')
		.orderBy('person.given_name')
		.orderBy('account.id')
		.limit(SEARCH_LIMIT + 1)
		.execute();
	const found = rows.slice(0, SEARCH_LIMIT);
	const roles = await rolesOf(
		db,
		found.map((r) => r.id)
	);
	return {
		more: rows.length > SEARCH_LIMIT,
		hits: found.map((r) => ({
			accountId: r.id,
			familyName: r.family_name,
			givenName: r.given_name,
			displayName: r.display_name,
			phone: r.login_phone,
			email: r.login_email,
			community: r.community,
			roles: [...new Set(roles.filter((g) => g.account_id === r.id).map((g) => g.role))].filter(isRole),
			disabled: r.disabled_at !== null
		}))
	};
}

function rolesOf(db: Db, accountIds: number[]) {
	if (accountIds.length === 0) return Promise.resolve([]);
	return db.selectFrom('account_role').select(['account_id', 'role']).where('account_id', 'in', accountIds).orderBy('id').execute();
}

export type RoleRow = { id: number; role: Role; communityId: number | null; community: string | null; grantedAt: Date };

export type AccountDetail = {
	accountId: number;
	familyName: string;
	givenName: string;
	displayName: string | null;
	phone: string | null;
	email: string | null;
	community: string | null;
	createdAt: Date;
	lastLoginAt: Date | null;
	disabledAt: Date | null;
	/** Whether the account has a password (never the hash). */
	hasPassword: boolean;
	roles: RoleRow[];
};

export async function accountDetail(db: Db, accountId: number, options: { locale: Locale; onDate: string }): Promise<AccountDetail | null> {
	const row = await db
		.selectFrom('account')
		.innerJoin('person', 'person.id', 'account.person_id')
		.select((eb) => [
			'account.id',
			'account.login_phone',
			'account.login_email',
			'account.created_at',
			'account.last_login_at',
			'account.disabled_at',
			eb('account.password_hash', 'is not', null).as('has_password'),
			'person.family_name',
			'person.given_name',
			'person.display_name',
			currentCommunityName(eb, options.locale, options.onDate).as('community')
		])
		.where('account.id', '=', accountId)
		.executeTakeFirst();
	if (!row) return null;
	const roles = await db
		.selectFrom('account_role as r')
		.leftJoin('community as c', 'c.id', 'r.community_id')
		.select([
			'r.id',
			'r.role',
			'r.community_id',
			'r.granted_at',
			options.locale === 'en' ? 'c.name_en as community' : 'c.name_zh as community'
		])
		.where('r.account_id', '=', accountId)
		.orderBy('r.role')
		.orderBy('r.id')
		.execute();
	return {
		accountId: row.id,
		familyName: row.family_name,
		givenName: row.given_name,
		displayName: row.display_name,
		phone: row.login_phone,
		email: row.login_email,
		community: row.community,
		createdAt: row.created_at,
		lastLoginAt: row.last_login_at,
		disabledAt: row.disabled_at,
		hasPassword: Boolean(row.has_password),
		roles: roles
			.filter((r) => isRole(r.role))
			.map((r) => ({ id: r.id, role: r.role as Role, communityId: r.community_id, community: r.community, grantedAt: r.granted_at }))
	};
}

/**
 * Locks every admin grant, always in the same order, as the first step of a transaction that may take
 * an admin away: two admins taking each other's role (or disabling each other) at the same moment are
 * then served one after the other, and the second one is refused by `anotherAdminRemains`.
 */
async function lockAdminGrants(trx: Db): Promise<{ account_id: number }[]> {
	return trx.selectFrom('account_role').select('account_id').where('role', '=', 'admin').orderBy('id').forUpdate().execute();
}

/** Whether an enabled administrator other than `accountId` remains (after `lockAdminGrants`): the portal never ends up with nobody to run it. */
async function anotherAdminRemains(trx: Db, accountId: number): Promise<boolean> {
	const grants = await lockAdminGrants(trx);
	const others = [...new Set(grants.map((g) => g.account_id))].filter((id) => id !== accountId);
	if (others.length === 0) return false;
	const enabled = await trx
		.selectFrom('account')
		.select('id')
		.where('id', 'in', others)
		.where('disabled_at', 'is', null)
		.executeTakeFirst();
	return enabled !== undefined;
}

export type DisableResult = { ok: true } | { ok: false; reason: 'not-found' | 'self' | 'already' | 'last-admin' };

/** Disables an account and ends every one of its sessions at once. Nobody disables themself. */
export async function disableAccount(db: Db, actorAccountId: number, accountId: number): Promise<DisableResult> {
	if (accountId === actorAccountId) return { ok: false, reason: 'self' };
	return db.transaction().execute(async (trx) => {
		await lockAdminGrants(trx);
		const account = await trx.selectFrom('account').select('disabled_at').where('id', '=', accountId).forUpdate().executeTakeFirst();
		if (!account) return { ok: false, reason: 'not-found' } as const;
		if (account.disabled_at) return { ok: false, reason: 'already' } as const;
		const isAdmin = await trx
			.selectFrom('account_role')
			.select('id')
			.where('account_id', '=', accountId)
			.where('role', '=', 'admin')
			.executeTakeFirst();
		if (isAdmin && !(await anotherAdminRemains(trx, accountId))) return { ok: false, reason: 'last-admin' } as const;
		await trx.updateTable('account').set({ disabled_at: now() }).where('id', '=', accountId).execute();
		await invalidateAccountSessions(trx, accountId);
		await audit(trx, { actorAccountId, action: 'account.disable', subjectType: 'account', subjectId: accountId });
		return { ok: true } as const;
	});
}

export type EnableResult = { ok: true } | { ok: false; reason: 'not-found' | 'already' | 'demo-retired' };

const DEMO_PHONES: readonly string[] = DEMO_ACCOUNTS.map((a) => a.phone);

/**
 * Re-enables an account. Outside demo mode the demo accounts stay disabled: their password is
 * published in the README (startup retires them for the same reason).
 */
export async function enableAccount(
	db: Db,
	actorAccountId: number,
	accountId: number,
	options: { demoMode: boolean }
): Promise<EnableResult> {
	return db.transaction().execute(async (trx) => {
		const account = await trx
			.selectFrom('account')
			.select(['disabled_at', 'login_phone'])
			.where('id', '=', accountId)
			.forUpdate()
			.executeTakeFirst();
		if (!account) return { ok: false, reason: 'not-found' } as const;
		if (!account.disabled_at) return { ok: false, reason: 'already' } as const;
		if (!options.demoMode && account.login_phone && DEMO_PHONES.includes(account.login_phone)) {
			return { ok: false, reason: 'demo-retired' } as const;
		}
		await trx.updateTable('account').set({ disabled_at: null }).where('id', '=', accountId).execute();
		await audit(trx, { actorAccountId, action: 'account.enable', subjectType: 'account', subjectId: accountId });
		return { ok: true } as const;
	});
}

export type GrantResult =
	{ ok: true; roleId: number } | { ok: false; reason: 'not-found' | 'unknown-community' | 'not-scopable' | 'duplicate' | 'covered' };

/** Grants `role` in `communityId` (null: all communities). A grant the account already holds is refused. */
export async function grantRole(
	db: Db,
	actorAccountId: number,
	accountId: number,
	grant: { role: Role; communityId: number | null }
): Promise<GrantResult> {
	if (grant.communityId !== null && !SCOPABLE_ROLES.includes(grant.role)) return { ok: false, reason: 'not-scopable' };
	try {
		return await db.transaction().execute(async (trx) => {
			const account = await trx.selectFrom('account').select('id').where('id', '=', accountId).executeTakeFirst();
			if (!account) return { ok: false, reason: 'not-found' } as const;
			if (grant.communityId !== null) {
				const community = await trx.selectFrom('community').select('id').where('id', '=', grant.communityId).executeTakeFirst();
				if (!community) return { ok: false, reason: 'unknown-community' } as const;
			}
			const held = await trx
				.selectFrom('account_role')
				.select('community_id')
				.where('account_id', '=', accountId)
				.where('role', '=', grant.role)
				.execute();
			if (held.some((h) => h.community_id === grant.communityId)) return { ok: false, reason: 'duplicate' } as const;
			if (held.some((h) => h.community_id === null)) return { ok: false, reason: 'covered' } as const;
			const row = await trx
				.insertInto('account_role')
				.values({ account_id: accountId, role: grant.role, community_id: grant.communityId, granted_at: now(), granted_by: actorAccountId })
				.returning('id')
				.executeTakeFirstOrThrow();
			await audit(trx, {
				actorAccountId,
				action: 'role.grant',
				subjectType: 'account',
				subjectId: accountId,
				communityId: grant.communityId,
				details: { role: grant.role, community_id: grant.communityId }
			});
			return { ok: true, roleId: row.id } as const;
		});
	} catch (error) {
		// The same grant sent twice at once: UNIQUE NULLS NOT DISTINCT (account_id, role, community_id) decides.
		if (isUniqueViolation(error, 'account_role_once')) return { ok: false, reason: 'duplicate' };
		throw error;
	}
}

export type RevokeResult =
	{ ok: true; role: Role; communityId: number | null } | { ok: false; reason: 'not-found' | 'self-admin' | 'last-admin' };

/** Revokes one grant of the account. An admin cannot take away their own admin role (no lock-out). */
export async function revokeRole(db: Db, actorAccountId: number, accountId: number, roleId: number): Promise<RevokeResult> {
	return db.transaction().execute(async (trx) => {
		await lockAdminGrants(trx);
		const grant = await trx
			.selectFrom('account_role')
			.select(['role', 'community_id'])
			.where('id', '=', roleId)
			.where('account_id', '=', accountId)
			.forUpdate()
			.executeTakeFirst();
		if (!grant || !isRole(grant.role)) return { ok: false, reason: 'not-found' } as const;
		if (grant.role === 'admin' && accountId === actorAccountId) return { ok: false, reason: 'self-admin' } as const;
		if (grant.role === 'admin' && !(await anotherAdminRemains(trx, accountId))) return { ok: false, reason: 'last-admin' } as const;
		await trx.deleteFrom('account_role').where('id', '=', roleId).execute();
		await audit(trx, {
			actorAccountId,
			action: 'role.revoke',
			subjectType: 'account',
			subjectId: accountId,
			communityId: grant.community_id,
			details: { role: grant.role, community_id: grant.community_id }
		});
		return { ok: true, role: grant.role, communityId: grant.community_id } as const;
	});
}
