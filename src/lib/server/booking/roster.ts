/** The people booked on an occurrence, for staff of its community: the roster and its actions. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { staffCovers, type Actor as StaffActor } from '../people/people';
import type { ReservationStatus } from './model';

export type RosterLine = {
	reservationId: number;
	personId: number;
	name: string;
	phone: string | null;
	status: ReservationStatus;
	checkedInAt: Date | null;
};

/** Null when the occurrence does not exist or lies outside the staff member's communities. */
export async function roster(db: Kysely<Database>, actor: StaffActor, occurrenceId: number): Promise<RosterLine[] | null> {
	const occ = await db.selectFrom('occurrence').select(['id', 'community_id']).where('id', '=', occurrenceId).executeTakeFirst();
	if (!occ || !staffCovers(actor, occ.community_id)) return null;
	const rows = await db
		.selectFrom('reservation')
		.innerJoin('person', 'person.id', 'reservation.person_id')
		.select([
			'reservation.id',
			'reservation.person_id',
			'reservation.status',
			'reservation.checked_in_at',
			'person.family_name',
			'person.given_name',
			'person.phone'
		])
		.where('reservation.occurrence_id', '=', occurrenceId)
		.orderBy('reservation.status')
		.orderBy('person.family_name')
		.orderBy('person.given_name')
		.execute();
	return rows.map((r) => ({
		reservationId: r.id,
		personId: r.person_id,
		name: `${r.family_name}${r.given_name}`,
		phone: r.phone,
		status: r.status as ReservationStatus,
		checkedInAt: r.checked_in_at
	}));
}

/** Whether a reservation belongs to an occurrence the staff member may act on. */
export async function staffMayActOn(db: Kysely<Database>, actor: StaffActor, reservationId: number): Promise<boolean> {
	const row = await db
		.selectFrom('reservation')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.select('occurrence.community_id')
		.where('reservation.id', '=', reservationId)
		.executeTakeFirst();
	return !!row && staffCovers(actor, row.community_id);
}

/** People of the staff member's communities with this phone number (a family may share one). */
export async function peopleWithPhone(db: Kysely<Database>, actor: StaffActor, phone: string): Promise<number[]> {
	const rows = await db
		.selectFrom('person')
		.innerJoin('community_membership as m', (join) => join.onRef('m.person_id', '=', 'person.id').on('m.valid_to', 'is', null))
		.select(['person.id', 'm.community_id'])
		.where('person.phone', '=', phone)
		.execute();
	return rows.filter((r) => staffCovers(actor, r.community_id)).map((r) => r.id);
}
