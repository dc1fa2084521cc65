import { error, fail } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { requireRole } from '$lib/server/auth/guard';
import { createSetPasswordLink, type SetPasswordRefusal } from '$lib/server/auth/links';
import type { MessageKey } from '$lib/i18n';
import { greetingName } from '$lib/server/auth/user';
import { now } from '$lib/server/clock';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse, refuseStale } from '$lib/server/forms';
import { HISTORY_LIMIT, participationHistory } from '$lib/server/participation/history';
import { openAccountFor, personForStaff, updatePerson } from '$lib/server/people/people';
import { personFields } from '$lib/server/people/schema';
import { staffCommunityOptions } from '$lib/server/people/staff-scope';
import { qrSvg } from '$lib/server/qr';
import { routeId } from '$lib/server/ids';
import { bookAtCounter, bookDoctorAtCounter, counterChoices, counterDoctorDay, counterDoctors } from '$lib/server/households/counter';
import { refusalKey } from '$lib/server/doctors/model';
import { bookFields } from '$lib/server/doctors/schema';
import type { Actions, PageServerLoad } from './$types';
import { linkOrigin } from '$lib/server/origin';

const LINK_REFUSALS: Record<SetPasswordRefusal, MessageKey> = {
	'not-found': 'people.account.none',
	disabled: 'people.account.disabled',
	'has-password': 'people.account.hasPassword',
	'has-roles': 'people.account.hasRoles',
	'reason-required': 'people.account.hasPassword'
};

const ACCOUNT_REFUSALS = {
	'no-login': 'people.account.noLogin',
	'login-taken': 'people.account.loginTaken',
	'has-account': 'people.account.exists'
} as const;

/** The doctor and day picked at the counter (`?doctor=…&day=…`, plain GET links: no JavaScript needed). */
async function doctorDay(user: Parameters<typeof counterDoctorDay>[1], url: URL) {
	const raw = url.searchParams.get('doctor');
	// An id the database's integer can hold: a larger one is no doctor (and would be a 500).
	if (!raw || !/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) return null;
	const picked = await counterDoctorDay(db(), user, Number(raw), url.searchParams.get('day'));
	if (!picked) return null;
	return { ...picked, slots: picked.slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })) };
}

const counterDoctorFields = { doctorId: fields.id(), ...bookFields };

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const id = routeId(event.params.id);
	// Out of scope and missing look the same: staff learn nothing about other communities' people.
	const person = await personForStaff(db(), user, id);
	if (!person) error(404, { message: 'Not found' });
	await audit(db(), {
		actorAccountId: user.accountId,
		action: 'person.view',
		subjectType: 'person',
		subjectId: id,
		communityId: person.communityId
	});
	const accountProblem = event.url.searchParams.get('account');
	return {
		person,
		created: event.url.searchParams.has('created'),
		accountProblem:
			// Own keys only: `?account=constructor` must not find Object.prototype's.
			accountProblem && Object.hasOwn(ACCOUNT_REFUSALS, accountProblem)
				? ACCOUNT_REFUSALS[accountProblem as keyof typeof ACCOUNT_REFUSALS]
				: null,
		communities: await staffCommunityOptions(db(), user, event.locals.locale),
		history: await participationHistory(db(), id),
		historyLimit: HISTORY_LIMIT,
		bookable: (await counterChoices(db(), user, event.locals.locale)).map((o) => ({ ...o, startsAt: o.startsAt.toISOString() })),
		doctors: await counterDoctors(db(), user, event.locals.locale),
		doctorDay: await doctorDay(user, event.url)
	};
};

export const actions: Actions = {
	// At the counter: a place for this person, booked by the staff member (audited).
	book: async (event) => {
		const user = requireRole(event, 'staff');
		const parsed = parseForm({ occurrenceId: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		const result = await bookAtCounter(db(), user, routeId(event.params.id), parsed.data.occurrenceId);
		if (!result.ok) {
			if (result.reason === 'out-of-scope') error(404, { message: 'Not found' });
			return refuse(result.reason === 'not-found' ? 404 : 409, { message: { key: `booking.refused.${result.reason}` } });
		}
		return { bookedAtCounter: { status: result.status, position: result.position } };
	},
	// At the counter: a family doctor's slot for this person, booked by the staff member (audited).
	bookDoctor: async (event) => {
		const user = requireRole(event, 'staff');
		const parsed = parseForm(counterDoctorFields, await readForm(event.request));
		if (!parsed.ok) {
			// The doctor and the slot's time come from the page itself (a hidden field, the slot's button):
			// when they are refused there is nothing to correct, so the form says to reload.
			const stale = parsed.errors.doctorId || parsed.errors.start;
			return fail(400, {
				doctorErrors: parsed.errors,
				doctorValues: parsed.values,
				...(stale ? { doctorMessage: { key: 'error.staleForm' as const } } : {})
			});
		}
		const result = await bookDoctorAtCounter(db(), user, routeId(event.params.id), parsed.data);
		if (!result.ok) {
			if (result.reason === 'out-of-scope') error(404, { message: 'Not found' });
			// Its own keys: the page's other forms show `message` and `errors` of their own.
			return fail(result.reason === 'not-found' ? 404 : result.reason === 'service' ? 400 : 409, {
				doctorMessage: { key: refusalKey(result.reason) },
				doctorValues: parsed.values
			});
		}
		return { bookedDoctor: result.appointmentId };
	},
	update: async (event) => {
		const user = requireRole(event, 'staff');
		const parsed = parseForm(personFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await updatePerson(db(), user, routeId(event.params.id), parsed.data);
		if (!result.ok) {
			if (result.reason === 'unknown-community')
				return refuse(400, { errors: { communityId: { key: 'error.community' } }, values: parsed.values });
			error(result.reason === 'not-found' ? 404 : 403, { message: result.reason === 'not-found' ? 'Not found' : 'Forbidden' });
		}
		return { saved: true };
	},
	openAccount: async (event) => {
		const user = requireRole(event, 'staff');
		const result = await openAccountFor(db(), user, routeId(event.params.id));
		if (!result.ok) {
			if (result.reason === 'out-of-scope') error(404, { message: 'Not found' });
			return refuse(400, { message: { key: ACCOUNT_REFUSALS[result.reason] } });
		}
		return { accountOpened: true };
	},
	passwordLink: async (event) => {
		const user = requireRole(event, 'staff');
		const person = await personForStaff(db(), user, routeId(event.params.id));
		if (!person) error(404, { message: 'Not found' });
		if (!person.accountId) return refuse(400, { message: { key: 'people.account.none' } });
		// The counter's rules even for an administrator here: links for accounts with a password or
		// another role are made, with a written reason, on the administrator's account page.
		const made = await createSetPasswordLink(db(), {
			accountId: person.accountId,
			issuer: { accountId: user.accountId, admin: false },
			origin: linkOrigin(event.url)
		});
		if (!made.ok) return refuse(made.reason === 'not-found' ? 404 : 409, { message: { key: LINK_REFUSALS[made.reason] } });
		return {
			slip: {
				link: made.link,
				qr: await qrSvg(made.link),
				name: `${person.familyName}${person.givenName}`,
				login: person.loginPhone ?? person.loginEmail ?? '',
				staff: greetingName(user),
				issuedAt: now().toISOString()
			}
		};
	}
};
