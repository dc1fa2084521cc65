import { error } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { parseLogin } from '$lib/server/auth/identifiers';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse, refuseStale } from '$lib/server/forms';
import {
	addMember,
	answerRequest,
	carersView,
	endLink,
	memberName,
	membersOf,
	pastLinks,
	requestLink
} from '$lib/server/households/households';
import type { Actions, PageServerLoad } from './$types';

const memberFields = {
	familyName: fields.text({ max: 40 }),
	givenName: fields.text({ max: 40 }),
	displayName: fields.optionalText({ max: 40 }),
	birthYear: fields.optionalBirthYear(),
	phone: fields.optionalPhone(),
	consent: fields.checkbox()
};

const linkFields = { login: fields.text({ max: 254 }) };

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const [members, carers, history] = await Promise.all([
		membersOf(db(), user.personId),
		carersView(db(), user.personId),
		pastLinks(db(), user.personId)
	]);
	return {
		members: members.map((m) => ({ ...m, name: memberName(m), consentAt: m.consentAt?.toISOString() ?? null })),
		carers: carers.map((c) => ({ id: c.id, status: c.status, name: `${c.family_name}${c.given_name}` })),
		history: history.map((h) => ({
			id: h.id,
			carer: `${h.carer_family}${h.carer_given}`,
			member: `${h.member_family}${h.member_given}`,
			from: h.requested_at.toISOString(),
			to: h.valid_to!.toISOString()
		}))
	};
};

const carerOf = (user: { accountId: number; personId: number }) => ({ accountId: user.accountId, personId: user.personId });

export const actions: Actions = {
	add: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(memberFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		if (!parsed.data.consent) return refuse(400, { errors: { consent: { key: 'household.add.consentRequired' } }, values: parsed.values });
		const { consent: _consent, ...input } = parsed.data;
		await addMember(db(), carerOf(user), input);
		return { added: memberName(input) };
	},
	link: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(linkFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const login = parseLogin(parsed.data.login);
		if (login.kind === 'invalid') return refuse(400, { errors: { login: { key: 'error.login' } }, values: parsed.values });
		await requestLink(db(), carerOf(user), {
			phone: login.kind === 'phone' ? login.phone : null,
			email: login.kind === 'email' ? login.email : null
		});
		return { requested: true };
	},
	answer: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm({ id: fields.id(), answer: fields.choice(['accept', 'decline'] as const) }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		if (!(await answerRequest(db(), carerOf(user), parsed.data.id, parsed.data.answer === 'accept'))) error(404, { message: 'Not found' });
		return { answered: true };
	},
	end: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm({ id: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		if (!(await endLink(db(), carerOf(user), parsed.data.id))) error(404, { message: 'Not found' });
		return { ended: true };
	}
};
