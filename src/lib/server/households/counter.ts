/**
 * At the counter (PRODUCT §2): staff book a fitness session or a training place for a person of
 * their community who came in or phoned. The booking core's rules for the person apply; the audit
 * trail says "booked by staff X for Y" (actor X, subject Y).
 */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { audit } from '../audit';
import type { Refusal } from '../booking/model';
import { refusalFromError, reserveIn } from '../booking/reservations';
import { scopeOf } from '../auth/roles';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { personForStaff, type Actor } from '../people/people';

/** Coming fitness sessions and trainings of the staff member's communities (the next two weeks). */
export async function counterChoices(db: Kysely<Database>, actor: Actor, locale: Locale) {
	const scope = scopeOf(actor.roles, 'staff');
	let query = db
		.selectFrom('occurrence')
		.select(['id', 'programme', 'title_zh', 'title_en', 'starts_at'])
		.where('programme', 'in', ['fitness', 'training'])
		.where('cancelled_at', 'is', null)
		.where('starts_at', '>', now())
		.where('starts_at', '<', new Date(now().getTime() + 14 * 24 * 60 * 60_000));
	if (scope !== 'all') query = scope.length ? query.where('community_id', 'in', scope) : query.where('id', '=', -1);
	const rows = await query.orderBy('starts_at').limit(40).execute();
	return rows.map((r) => ({ id: r.id, programme: r.programme, title: locale === 'en' ? r.title_en : r.title_zh, startsAt: r.starts_at }));
}

export type CounterResult = { ok: true; reservationId: number; status: string } | { ok: false; reason: Refusal | 'out-of-scope' };

export async function bookAtCounter(db: Kysely<Database>, actor: Actor, personId: number, occurrenceId: number): Promise<CounterResult> {
	const person = await personForStaff(db, actor, personId);
	if (!person) return { ok: false, reason: 'out-of-scope' };
	try {
		return await db.transaction().execute(async (trx): Promise<CounterResult> => {
			const booked = await reserveIn(trx, { occurrenceId, personId, actor: { accountId: actor.accountId, personId: null } });
			if (!booked.ok) return booked;
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: 'reservation.book_for_person',
				subjectType: 'person',
				subjectId: personId,
				communityId: person.communityId,
				details: { reservation_id: booked.reservationId, occurrence_id: occurrenceId }
			});
			return { ok: true, reservationId: booked.reservationId, status: booked.status };
		});
	} catch (error) {
		const reason = refusalFromError(error);
		if (reason) return { ok: false, reason };
		throw error;
	}
}
