/**
 * Who may act for whom: a person for themself, and a carer for a member they look
 * after now (an active link). Kept apart from households.ts so that the booking core can ask
 * without importing the household pages' queries.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Whether `actorPersonId` may book and cancel for `personId`: themself, or a member they look after now. */
export async function mayActFor(db: Kysely<Database>, actorPersonId: number, personId: number): Promise<boolean> {
	if (actorPersonId === personId) return true;
	const link = await db
		.selectFrom('household_link')
		.select('id')
		.where('carer_person_id', '=', actorPersonId)
		.where('member_person_id', '=', personId)
		.where('status', '=', 'active')
		.where('valid_to', 'is', null)
		.executeTakeFirst();
	return !!link;
}
