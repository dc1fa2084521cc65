import { error } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { requireRole } from '$lib/server/auth/guard';
import { occurrenceView } from '$lib/server/booking/occurrences';
import { cancel, checkIn, checkInOpen, reserve, undoLastChange } from '$lib/server/booking/reservations';
import { peopleWithPhone, roster, staffMayActOn } from '$lib/server/booking/roster';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse, refuseStale } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const id = routeId(event.params.id);
	const lines = await roster(db(), user, id);
	const occurrence = await occurrenceView(db(), id, event.locals.locale);
	if (!lines || !occurrence) error(404, { message: 'Not found' });
	await audit(db(), {
		actorAccountId: user.accountId,
		action: 'occurrence.roster_view',
		subjectType: 'occurrence',
		subjectId: id,
		communityId: occurrence.communityId
	});
	return {
		occurrence: { ...occurrence, startsAt: occurrence.startsAt.toISOString(), endsAt: occurrence.endsAt.toISOString() },
		lines: lines.map((l) => ({ ...l, checkedInAt: l.checkedInAt?.toISOString() ?? null })),
		// Check-in and admitting at the door are offered only while the core would accept them.
		checkInOpen: !occurrence.cancelled && checkInOpen(occurrence.startsAt, occurrence.endsAt)
	};
};

/** Every roster action: a staff member of the occurrence's community, and a reservation of it. */
async function staffStep(event: RequestEvent) {
	const user = requireRole(event, 'staff');
	const parsed = parseForm({ reservationId: fields.id() }, await readForm(event.request));
	if (!parsed.ok) return { refused: refuseStale() } as const;
	const occurrenceId = routeId(event.params.id!);
	const belongs = await db()
		.selectFrom('reservation')
		.select('id')
		.where('id', '=', parsed.data.reservationId)
		.where('occurrence_id', '=', occurrenceId)
		.executeTakeFirst();
	if (!belongs || !(await staffMayActOn(db(), user, parsed.data.reservationId))) error(404, { message: 'Not found' });
	return { user, reservationId: parsed.data.reservationId } as const;
}

export const actions: Actions = {
	// A resident who turns up without a booking, admitted while a place is free and checked in at once
	// (the core refuses it outside the check-in window, as it refuses any check-in).
	admit: async (event) => {
		const user = requireRole(event, 'staff');
		const occurrenceId = routeId(event.params.id);
		const occurrence = await occurrenceView(db(), occurrenceId, event.locals.locale);
		if (!occurrence || !(await roster(db(), user, occurrenceId))) error(404, { message: 'Not found' });
		const form = await readForm(event.request);
		// The page shows no admit form outside the window: a form posted from an older page gets the
		// core's answer at once, whatever its phone number (the core refuses it anyway).
		if (!checkInOpen(occurrence.startsAt, occurrence.endsAt)) return refuse(409, { message: { key: 'booking.refused.check-in-closed' } });
		const parsed = parseForm({ phone: fields.optionalPhone() }, form);
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		if (!parsed.data.phone) return refuse(400, { errors: { phone: { key: 'error.required' } }, values: parsed.values });
		const people = await peopleWithPhone(db(), user, parsed.data.phone);
		if (people.length !== 1) {
			return refuse(404, {
				errors: { phone: { key: people.length === 0 ? 'roster.admit.notFound' : 'roster.admit.ambiguous' } },
				values: parsed.values
			});
		}
		const result = await reserve(db(), {
			occurrenceId,
			personId: people[0]!,
			actor: { accountId: user.accountId, personId: null },
			walkIn: true
		});
		if (!result.ok) return refuse(409, { message: { key: `booking.refused.${result.reason}` }, values: parsed.values });
		await audit(db(), {
			actorAccountId: user.accountId,
			action: 'reservation.walk_in',
			subjectType: 'reservation',
			subjectId: result.reservationId,
			communityId: occurrence.communityId
		});
		return { done: 'admit' as const };
	},
	checkIn: async (event) => {
		const step = await staffStep(event);
		if ('refused' in step) return step.refused;
		const result = await checkIn(db(), {
			reservationId: step.reservationId,
			actor: { accountId: step.user.accountId, personId: null },
			onBehalf: true
		});
		if (!result.ok) return refuse(409, { message: { key: `booking.refused.${result.reason}` } });
		return { done: 'checkIn' as const };
	},
	cancel: async (event) => {
		const step = await staffStep(event);
		if ('refused' in step) return step.refused;
		const result = await cancel(db(), {
			reservationId: step.reservationId,
			actor: { accountId: step.user.accountId, personId: null },
			onBehalf: true
		});
		if (!result.ok) return refuse(409, { message: { key: `booking.refused.${result.reason}` } });
		return { done: 'cancel' as const };
	},
	undo: async (event) => {
		const step = await staffStep(event);
		if ('refused' in step) return step.refused;
		const result = await undoLastChange(db(), { reservationId: step.reservationId, actorAccountId: step.user.accountId });
		if (!result.ok) return refuse(409, { message: { key: `booking.refused.${result.reason}` } });
		await audit(db(), {
			actorAccountId: step.user.accountId,
			action: 'reservation.undo',
			subjectType: 'reservation',
			subjectId: step.reservationId,
			details: { to: result.status }
		});
		return { done: 'undo' as const };
	}
};
