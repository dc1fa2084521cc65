/** A person changes their own details from /account. */
import type { Kysely } from 'kysely';
import { audit } from '../audit';
import type { Database } from '../db/schema';
import { isUniqueViolation } from '../db/errors';
import { writePersonDetails, type PersonInput } from './people';

export type ProfileResult = { ok: true } | { ok: false; reason: 'login-taken' | 'need-login' | 'unknown-community' };

export async function updateOwnProfile(db: Kysely<Database>, accountId: number, input: PersonInput): Promise<ProfileResult> {
	if (!input.phone && !input.email) return { ok: false, reason: 'need-login' };
	try {
		return await db.transaction().execute(async (trx) => {
			const account = await trx
				.selectFrom('account')
				.select(['person_id'])
				.where('id', '=', accountId)
				.forUpdate()
				.executeTakeFirstOrThrow();
			const community = await trx.selectFrom('community').select('id').where('id', '=', input.communityId).executeTakeFirst();
			if (!community) return { ok: false as const, reason: 'unknown-community' as const };
			// The log-ins follow the contact details: a resident logs in with what they wrote here.
			await trx.updateTable('account').set({ login_phone: input.phone, login_email: input.email }).where('id', '=', accountId).execute();
			await writePersonDetails(trx, account.person_id, input);
			await audit(trx, {
				actorAccountId: accountId,
				action: 'person.update_own',
				subjectType: 'person',
				subjectId: account.person_id,
				communityId: input.communityId
			});
			return { ok: true as const };
		});
	} catch (error) {
		if (isUniqueViolation(error, 'account_login_phone_key') || isUniqueViolation(error, 'account_login_email_key'))
			return { ok: false, reason: 'login-taken' };
		throw error;
	}
}

export async function ownProfile(db: Kysely<Database>, accountId: number) {
	return db
		.selectFrom('account')
		.innerJoin('person', 'person.id', 'account.person_id')
		.leftJoin('community_membership as m', (join) => join.onRef('m.person_id', '=', 'person.id').on('m.valid_to', 'is', null))
		.select([
			'person.family_name',
			'person.given_name',
			'person.display_name',
			'person.birth_year',
			'account.login_phone',
			'account.login_email',
			'm.community_id'
		])
		.where('account.id', '=', accountId)
		.executeTakeFirstOrThrow();
}
