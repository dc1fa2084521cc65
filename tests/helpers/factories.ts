/**
 * Small factories for tests. Accounts share one precomputed argon2id hash of FACTORY_PASSWORD, so
 * making hundreds of them costs no hashing. Each call makes unique phones and codes.
 */
import type { Kysely } from 'kysely';
import { randomInt } from 'node:crypto';
import type { Database } from '../../src/lib/server/db/schema';
import type { Role } from '../../src/lib/server/auth/roles';

export const FACTORY_PASSWORD = 'factory-password-2026';
const FACTORY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$Q5UOzIwJJD2ehcXaG1MHtg$qUC6JaofaNt7LU6GoMJYbKImvgopvz+3N244QKc6tag';

let sequence = randomInt(0, 1_000_000);
const next = () => ++sequence;

/** A phone number no other factory call in this process has produced. */
export function uniquePhone(): string {
	return `139${String(next() % 100_000_000).padStart(8, '0')}`;
}

export async function createCommunity(
	db: Kysely<Database>,
	overrides: Partial<{ code: string; nameZh: string; nameEn: string; population: number }> = {}
) {
	const n = next();
	const row = await db
		.insertInto('community')
		.values({
			code: overrides.code ?? `c-${n}`,
			name_zh: overrides.nameZh ?? `测试社区${n}`,
			name_en: overrides.nameEn ?? `Test community ${n}`
		})
		.returning(['id', 'code', 'name_zh', 'name_en'])
		.executeTakeFirstOrThrow();
	if (overrides.population !== undefined) {
		await db
			.insertInto('community_population')
			.values({ community_id: row.id, population: overrides.population, effective_from: '2020-01-01' })
			.execute();
	}
	return row;
}

export type PersonOverrides = Partial<{
	familyName: string;
	givenName: string;
	displayName: string | null;
	phone: string | null;
	email: string | null;
	birthYear: number | null;
	communityId: number;
	memberFrom: string;
}>;

export async function createPerson(db: Kysely<Database>, overrides: PersonOverrides = {}) {
	const communityId = overrides.communityId ?? (await createCommunity(db)).id;
	const person = await db
		.insertInto('person')
		.values({
			family_name: overrides.familyName ?? '张',
			given_name: overrides.givenName ?? `测${next()}`,
			display_name: overrides.displayName ?? null,
			phone: overrides.phone === undefined ? uniquePhone() : overrides.phone,
			email: overrides.email ?? null,
			birth_year: overrides.birthYear ?? 1960
		})
		.returning(['id', 'family_name', 'given_name', 'phone', 'email'])
		.executeTakeFirstOrThrow();
	await db
		.insertInto('community_membership')
		.values({ person_id: person.id, community_id: communityId, valid_from: overrides.memberFrom ?? '2020-01-01' })
		.execute();
	return { ...person, communityId };
}

export type AccountOverrides = PersonOverrides & {
	roles?: (Role | { role: Role; communityId: number | null })[];
	passwordHash?: string | null;
	locale?: 'zh-CN' | 'en';
	disabled?: boolean;
};

/** A person with an account that logs in with `login` (the phone, or the e-mail) and FACTORY_PASSWORD. */
export async function createAccount(db: Kysely<Database>, overrides: AccountOverrides = {}) {
	const person = await createPerson(db, overrides);
	const account = await db
		.insertInto('account')
		.values({
			person_id: person.id,
			login_phone: person.phone,
			login_email: person.email,
			password_hash: overrides.passwordHash === undefined ? FACTORY_HASH : overrides.passwordHash,
			locale: overrides.locale ?? 'zh-CN',
			privacy_accepted_at: new Date(),
			disabled_at: overrides.disabled ? new Date() : null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	const roles = (overrides.roles ?? ['resident']).map((r) => (typeof r === 'string' ? { role: r, communityId: null } : r));
	if (roles.length > 0) {
		await db
			.insertInto('account_role')
			.values(roles.map((r) => ({ account_id: account.id, role: r.role, community_id: r.communityId })))
			.execute();
	}
	return { accountId: account.id, personId: person.id, login: person.phone ?? person.email!, password: FACTORY_PASSWORD, person };
}

/** Row counts of the named tables, to show that a refused form wrote nothing. */
export async function rowCounts(db: Kysely<Database>, tables: (keyof Database)[]): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	for (const table of tables) {
		const row = await db
			.selectFrom(table)
			.select(({ fn }) => fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		counts[table] = Number(row.n);
	}
	return counts;
}

export type OccurrenceOverrides = Partial<{
	programme: 'doctor' | 'fitness' | 'training';
	startsAt: Date;
	minutes: number;
	capacity: number;
	communityId: number | null;
	title: string;
}>;

/** A bookable occurrence (a session or slot) starting tomorrow unless told otherwise. */
export async function createOccurrence(db: Kysely<Database>, overrides: OccurrenceOverrides = {}) {
	const startsAt = overrides.startsAt ?? new Date(Date.now() + 24 * 60 * 60_000);
	const endsAt = new Date(startsAt.getTime() + (overrides.minutes ?? 60) * 60_000);
	const n = next();
	const row = await db
		.insertInto('occurrence')
		.values({
			programme: overrides.programme ?? 'fitness',
			community_id: overrides.communityId ?? null,
			title_zh: overrides.title ?? `太极拳 ${n}`,
			title_en: overrides.title ?? `Tai chi ${n}`,
			location_zh: '东门社区广场',
			location_en: 'Dongmen Community square',
			starts_at: startsAt,
			ends_at: endsAt,
			capacity: overrides.capacity ?? 20,
			created_at: new Date()
		})
		.returning(['id', 'starts_at', 'ends_at', 'capacity'])
		.executeTakeFirstOrThrow();
	return row;
}
