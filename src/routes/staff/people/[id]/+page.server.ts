import { error } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { requireRole } from '$lib/server/auth/guard';
import { createSetPasswordLink } from '$lib/server/auth/links';
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
import { bookAtCounter, counterChoices } from '$lib/server/households/counter';
import type { Actions, PageServerLoad } from './$types';

const ACCOUNT_REFUSALS = {
	'no-login': 'people.account.noLogin',
	'login-taken': 'people.account.loginTaken',
	'has-account': 'people.account.exists'
} as const;

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
			accountProblem && accountProblem in ACCOUNT_REFUSALS ? ACCOUNT_REFUSALS[accountProblem as keyof typeof ACCOUNT_REFUSALS] : null,
		communities: await staffCommunityOptions(db(), user, event.locals.locale),
		history: await participationHistory(db(), id),
		historyLimit: HISTORY_LIMIT,
		bookable: (await counterChoices(db(), user, event.locals.locale)).map((o) => ({ ...o, startsAt: o.startsAt.toISOString() }))
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
		return { bookedAtCounter: result.status };
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
		const link = await createSetPasswordLink(db(), person.accountId, user.accountId, event.url.origin);
		return {
			slip: {
				link,
				qr: await qrSvg(link),
				name: `${person.familyName}${person.givenName}`,
				login: person.loginPhone ?? person.loginEmail ?? '',
				staff: greetingName(user),
				issuedAt: now().toISOString()
			}
		};
	}
};
