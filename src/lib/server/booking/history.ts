import type { Kysely } from 'kysely';
import { now } from '../clock';
import type { Database } from '../db/schema';
import type { ReservationStatus } from './model';

/** Changes a reservation's status and records who, when and why, in the caller's transaction. */
export async function transition(
	trx: Kysely<Database>,
	reservationId: number,
	from: ReservationStatus | null,
	to: ReservationStatus,
	actorAccountId: number | null,
	reason: string,
	extra: { offer_expires_at?: Date | null; checked_in_at?: Date | null; waitlisted_at?: Date | null } = {}
): Promise<void> {
	const at = now();
	if (from !== null) {
		await trx
			.updateTable('reservation')
			.set({ status: to, updated_at: at, ...extra })
			.where('id', '=', reservationId)
			.execute();
	}
	await trx
		.insertInto('reservation_event')
		.values({ reservation_id: reservationId, at, from_status: from, to_status: to, actor_account_id: actorAccountId, reason })
		.execute();
}
