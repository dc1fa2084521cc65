/**
 * Admins merge two records of the same person: everything of `dropId` moves to
 * `keepId` — reservations, assessments and certificates (through the reservations), household
 * links, notices, feeds, an account — found through the catalogue's foreign keys, so a table
 * added later follows too. Where both hold the same occurrence, the kept record's reservation
 * stays and the other is cancelled with the note `merged_duplicate`. One transaction; audited.
 */
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit';
import { transition } from '../booking/history';
import { LIVE, type ReservationStatus } from '../booking/model';
import { offerFreedPlaces } from '../booking/reservations';
import { isExclusionViolation } from '../db/errors';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { references } from '../privacy/catalogue';

/**
 * Tables not moved row by row: the membership history stays the kept person's own, and the
 * participation bookkeeping (per person and month) is re-derived by the triggers as reservations and
 * certificates change hands; the dropped person's rows go with the person (ON DELETE CASCADE).
 */
const KEPT_BY_TRIGGERS = new Set(['community_membership', 'participation_person_month', 'coverage_person_month', 'coverage_person']);

export type MergeResult =
	{ ok: true; cancelled: number[] } | { ok: false; reason: 'not-found' | 'same' | 'both-accounts' | 'overlap' | 'erased' };

class Overlap extends Error {}

export async function mergePeople(db: Kysely<Database>, adminAccountId: number, keepId: number, dropId: number): Promise<MergeResult> {
	if (keepId === dropId) return { ok: false, reason: 'same' };
	try {
		return await db.transaction().execute(async (trx): Promise<MergeResult> => {
			const people = await trx.selectFrom('person').select(['id', 'erased_at']).where('id', 'in', [keepId, dropId]).forUpdate().execute();
			if (people.length !== 2) return { ok: false, reason: 'not-found' };
			if (people.some((p) => p.erased_at)) return { ok: false, reason: 'erased' };
			const accounts = await trx.selectFrom('account').select('person_id').where('person_id', 'in', [keepId, dropId]).execute();
			if (accounts.length === 2) return { ok: false, reason: 'both-accounts' };

			// The same occurrence held by both: the kept record's reservation stays.
			const doubles = await trx
				.selectFrom('reservation as d')
				.innerJoin('reservation as k', (j) => j.onRef('k.occurrence_id', '=', 'd.occurrence_id').on('k.person_id', '=', keepId))
				.select(['d.id', 'd.status', 'd.occurrence_id'])
				.where('d.person_id', '=', dropId)
				.where('d.status', 'in', LIVE)
				.where('k.status', 'in', LIVE)
				.execute();
			for (const d of doubles) {
				await transition(trx, d.id, d.status as ReservationStatus, 'cancelled', adminAccountId, 'merged_duplicate', {
					offer_expires_at: null
				});
				await offerFreedPlaces(trx, d.occurrence_id);
			}

			await trx.deleteFrom('community_membership').where('person_id', '=', dropId).execute();
			await trx
				.updateTable('calendar_feed')
				.set({ revoked_at: now() })
				.where('person_id', '=', dropId)
				.where('revoked_at', 'is', null)
				.execute();
			// Links that would point from the person to themself, or repeat one the kept record has, end here.
			await trx
				.updateTable('household_link')
				.set({ valid_to: now() })
				.where('valid_to', 'is', null)
				.where((eb) =>
					eb.or([
						eb.and([eb('carer_person_id', '=', dropId), eb('member_person_id', '=', keepId)]),
						eb.and([eb('carer_person_id', '=', keepId), eb('member_person_id', '=', dropId)]),
						eb.and([
							eb('carer_person_id', '=', dropId),
							eb(
								'member_person_id',
								'in',
								trx
									.selectFrom('household_link')
									.select('member_person_id')
									.where('carer_person_id', '=', keepId)
									.where('valid_to', 'is', null)
							)
						]),
						eb.and([
							eb('member_person_id', '=', dropId),
							eb(
								'carer_person_id',
								'in',
								trx
									.selectFrom('household_link')
									.select('carer_person_id')
									.where('member_person_id', '=', keepId)
									.where('valid_to', 'is', null)
							)
						])
					])
				)
				.execute();
			await trx.deleteFrom('household_link').where('carer_person_id', '=', dropId).where('member_person_id', '=', keepId).execute();
			await trx.deleteFrom('household_link').where('carer_person_id', '=', keepId).where('member_person_id', '=', dropId).execute();

			for (const ref of await references(trx)) {
				if (ref.target !== 'person' || KEPT_BY_TRIGGERS.has(ref.table)) continue;
				try {
					await sql`UPDATE ${sql.table(ref.table)} SET ${sql.ref(ref.column)} = ${keepId} WHERE ${sql.ref(ref.column)} = ${dropId}`.execute(
						trx
					);
				} catch (error) {
					if (isExclusionViolation(error, 'reservation_no_overlap')) throw new Overlap();
					throw error;
				}
			}
			await trx.deleteFrom('person').where('id', '=', dropId).execute();
			await audit(trx, {
				actorAccountId: adminAccountId,
				action: 'person.merge',
				subjectType: 'person',
				subjectId: keepId,
				details: { merged: dropId, cancelled: doubles.map((d) => d.id) }
			});
			return { ok: true, cancelled: doubles.map((d) => d.id) };
		});
	} catch (error) {
		if (error instanceof Overlap) return { ok: false, reason: 'overlap' };
		throw error;
	}
}
