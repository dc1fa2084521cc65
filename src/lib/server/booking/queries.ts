/** What people see of their reservations: lists, one reservation, and their calendar items. */
import type { Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { reservationPage } from '$lib/pages';
import type { CalendarItem } from '../calendar/ical';
import type { Database } from '../db/schema';
import { waitlistPosition } from './reservations';
import type { Programme, ReservationStatus } from './model';

export type ReservationView = {
	id: number;
	personId: number;
	occurrenceId: number;
	programme: Programme;
	status: ReservationStatus;
	title: string;
	location: string | null;
	startsAt: Date;
	endsAt: Date;
	offerExpiresAt: Date | null;
	occurrenceCancelled: boolean;
	position: number | null;
};

function baseQuery(db: Kysely<Database>) {
	return db
		.selectFrom('reservation')
		.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
		.select([
			'reservation.id',
			'reservation.occurrence_id',
			'reservation.person_id',
			'reservation.status',
			'reservation.offer_expires_at',
			'reservation.updated_at',
			'occurrence.programme',
			'occurrence.title_zh',
			'occurrence.title_en',
			'occurrence.location_zh',
			'occurrence.location_en',
			'occurrence.starts_at',
			'occurrence.ends_at',
			'occurrence.cancelled_at'
		]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

async function view(db: Kysely<Database>, r: Row, locale: Locale): Promise<ReservationView> {
	return {
		id: r.id,
		personId: r.person_id,
		occurrenceId: r.occurrence_id,
		programme: r.programme as Programme,
		status: r.status as ReservationStatus,
		title: locale === 'en' ? r.title_en : r.title_zh,
		location: (locale === 'en' ? r.location_en : r.location_zh) ?? null,
		startsAt: r.starts_at,
		endsAt: r.ends_at,
		offerExpiresAt: r.offer_expires_at,
		occurrenceCancelled: r.cancelled_at !== null,
		position: r.status === 'waitlisted' ? await waitlistPosition(db, r.id) : null
	};
}

/** Reservations as listed: soonest first, each with its view. */
async function listed(db: Kysely<Database>, query: ReturnType<typeof baseQuery>, locale: Locale): Promise<ReservationView[]> {
	const rows = await query.orderBy('occurrence.starts_at').orderBy('reservation.id').execute();
	return Promise.all(rows.map((r) => view(db, r, locale)));
}

/** The reservations of a person, or of several (a carer's list holds their household's too). */
export async function reservationsOf(
	db: Kysely<Database>,
	personId: number | number[],
	locale: Locale,
	programme?: Programme
): Promise<ReservationView[]> {
	const ids = Array.isArray(personId) ? personId : [personId];
	let query = baseQuery(db).where('reservation.person_id', 'in', ids);
	if (programme) query = query.where('occurrence.programme', '=', programme);
	return listed(db, query, locale);
}

/** The places on offer to a person now (waiting-list places they may take up), soonest first. */
export async function offersOf(db: Kysely<Database>, personId: number, locale: Locale): Promise<ReservationView[]> {
	return listed(db, baseQuery(db).where('reservation.person_id', '=', personId).where('reservation.status', '=', 'offered'), locale);
}

/** One reservation, only for its own person (anyone else gets null, as if it did not exist). */
export async function reservationOf(
	db: Kysely<Database>,
	personId: number,
	reservationId: number,
	locale: Locale
): Promise<ReservationView | null> {
	const row = await baseQuery(db)
		.where('reservation.id', '=', reservationId)
		.where('reservation.person_id', '=', personId)
		.executeTakeFirst();
	return row ? view(db, row, locale) : null;
}

/** Calendar items: held and past places, and cancelled ones marked as cancelled. */
export async function reservationCalendarItems(
	db: Kysely<Database>,
	personId: number,
	locale: Locale,
	endingAfter?: Date
): Promise<CalendarItem[]> {
	let query = baseQuery(db)
		.where('reservation.person_id', '=', personId)
		.where('reservation.status', 'in', ['reserved', 'offered', 'attended', 'no_show', 'cancelled', 'late_cancelled']);
	if (endingAfter) query = query.where('occurrence.ends_at', '>', endingAfter);
	const rows = await query.execute();
	return rows.map((r) => ({
		uid: `reservation-${r.id}`,
		title: locale === 'en' ? r.title_en : r.title_zh,
		start: r.starts_at,
		end: r.ends_at,
		location: (locale === 'en' ? r.location_en : r.location_zh) ?? null,
		url: reservationPage(r.programme, r.id),
		cancelled: ['cancelled', 'late_cancelled'].includes(r.status) || r.cancelled_at !== null,
		updatedAt: r.updated_at
	}));
}
