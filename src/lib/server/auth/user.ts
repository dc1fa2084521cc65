/** The signed-in user as every load and action sees it: whitelisted fields only. */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import type { Database } from '../db/schema';
import { isRole, type RoleGrant } from './roles';

export type AuthUser = {
	accountId: number;
	personId: number;
	familyName: string;
	givenName: string;
	displayName: string | null;
	locale: Locale;
	largeText: boolean;
	roles: RoleGrant[];
};

export async function loadUser(db: Kysely<Database>, accountId: number): Promise<AuthUser | null> {
	const row = await db
		.selectFrom('account')
		.innerJoin('person', 'person.id', 'account.person_id')
		.select([
			'account.id',
			'account.person_id',
			'account.locale',
			'account.large_text',
			'person.family_name',
			'person.given_name',
			'person.display_name'
		])
		.where('account.id', '=', accountId)
		.where('account.disabled_at', 'is', null)
		.executeTakeFirst();
	if (!row) return null;
	const roles = await db.selectFrom('account_role').select(['role', 'community_id']).where('account_id', '=', accountId).execute();
	return authUserOf(row, roles);
}

type UserRow = {
	id: number;
	person_id: number;
	locale: string;
	large_text: boolean;
	family_name: string;
	given_name: string;
	display_name: string | null;
};

/** The whitelisted fields of an account row (with its person's names) and its role grants. */
export function authUserOf(row: UserRow, roles: { role: string; community_id: number | null }[]): AuthUser {
	return {
		accountId: row.id,
		personId: row.person_id,
		familyName: row.family_name,
		givenName: row.given_name,
		displayName: row.display_name,
		locale: row.locale === 'en' ? 'en' : 'zh-CN',
		largeText: row.large_text,
		roles: roles.filter((r) => isRole(r.role)).map((r) => ({ role: r.role as RoleGrant['role'], communityId: r.community_id }))
	};
}

/** How the header greets someone: the chosen display name, or the full name. */
export function greetingName(user: Pick<AuthUser, 'familyName' | 'givenName' | 'displayName'>): string {
	return user.displayName ?? `${user.familyName}${user.givenName}`;
}
