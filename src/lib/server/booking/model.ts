/** The one status list of a reservation and the programmes that share it. */

export const STATUSES = ['reserved', 'waitlisted', 'offered', 'cancelled', 'late_cancelled', 'attended', 'no_show'] as const;
export type ReservationStatus = (typeof STATUSES)[number];

/** Statuses that hold one of the occurrence's places (the capacity trigger counts the same ones). */
export const HOLDING: readonly ReservationStatus[] = ['reserved', 'offered', 'attended'];
/** Statuses that still count as "this person has this occurrence" (one per person and occurrence). */
export const LIVE: readonly ReservationStatus[] = ['reserved', 'waitlisted', 'offered', 'attended', 'no_show'];

export const PROGRAMMES = ['doctor', 'fitness', 'training'] as const;
export type Programme = (typeof PROGRAMMES)[number];

export type Rules = {
	horizonDays: number;
	minNoticeMinutes: number;
	cancelCutoffMinutes: number;
	maxUpcoming: number;
	waitlist: boolean;
	offerHours: number;
	/** After the cut-off: false, the person cannot cancel (or change) online any more; true, it is a late cancellation. */
	lateCancelOnline: boolean;
};

/** Why a booking step was refused; each has a message `booking.refused.<reason>` in both languages. */
export type Refusal =
	| 'not-found'
	| 'cancelled'
	| 'started'
	| 'beyond-horizon'
	| 'too-short-notice'
	| 'limit'
	| 'already'
	| 'overlap'
	| 'full'
	| 'not-yours'
	| 'not-offered'
	| 'offer-expired'
	| 'not-cancellable'
	| 'past-cutoff'
	| 'check-in-closed'
	| 'nothing-to-undo';

/** Who is acting: the person themself, or an account acting for them (staff; later, a carer). */
export type Actor = { accountId: number | null; personId: number | null };
