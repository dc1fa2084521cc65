import { fail } from '@sveltejs/kit';
import type { Refusal } from '$lib/forms';
import { changePassword, loginIdentifiers } from '$lib/server/auth/accounts';
import { requireUser } from '$lib/server/auth/guard';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '$lib/server/auth/password';
import { createFeed, hasFeed, revokeFeed } from '$lib/server/calendar/feed';
import { communityName, communityOptions } from '$lib/server/communities';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm } from '$lib/server/forms';
import { ownProfile, updateOwnProfile } from '$lib/server/people/profile';
import { personFields } from '$lib/server/people/schema';
import type { Actions, PageServerLoad } from './$types';
import { linkOrigin } from '$lib/server/origin';

const passwordSchema = {
	currentPassword: fields.password({ min: 1, max: PASSWORD_MAX }),
	newPassword: fields.password({ min: PASSWORD_MIN, max: PASSWORD_MAX })
};

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const profile = await ownProfile(db(), user.accountId);
	const roles = await Promise.all(
		user.roles.map(async (r) => ({
			role: r.role,
			community: r.communityId ? await communityName(db(), r.communityId, event.locals.locale) : null
		}))
	);
	return {
		profile: {
			familyName: profile.family_name,
			givenName: profile.given_name,
			displayName: profile.display_name ?? '',
			phone: profile.login_phone ?? '',
			email: profile.login_email ?? '',
			birthYear: profile.birth_year === null ? '' : String(profile.birth_year),
			communityId: profile.community_id === null ? '' : String(profile.community_id)
		},
		roles,
		communities: await communityOptions(db(), event.locals.locale),
		calendarActive: await hasFeed(db(), user.personId)
	};
};

/** The page has two forms sharing `form`: a refusal names the one it belongs to. */
function refuseIn(form: 'profile' | 'password', refusal: Refusal) {
	return fail(400, { form, ...refusal });
}

export const actions: Actions = {
	profile: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(personFields, await readForm(event.request));
		if (!parsed.ok) return refuseIn('profile', { errors: parsed.errors, values: parsed.values });
		const result = await updateOwnProfile(db(), user.accountId, parsed.data);
		if (!result.ok) {
			const field = result.reason === 'unknown-community' ? 'communityId' : 'phone';
			const key =
				result.reason === 'login-taken'
					? 'account.profile.loginTaken'
					: result.reason === 'need-login'
						? 'account.profile.needLogin'
						: 'error.community';
			return refuseIn('profile', { errors: { [field]: { key } }, values: parsed.values });
		}
		return { profileSaved: true };
	},
	password: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(passwordSchema, await readForm(event.request));
		if (!parsed.ok) return refuseIn('password', { errors: parsed.errors });
		const logins = await loginIdentifiers(db(), user.accountId);
		const weak = passwordProblem(parsed.data.newPassword, [logins.phone, logins.email]);
		if (weak) return refuseIn('password', { errors: { newPassword: { key: weak } } });
		const result = await changePassword(
			db(),
			user.accountId,
			event.locals.session!.id,
			parsed.data.currentPassword,
			parsed.data.newPassword
		);
		if (!result.ok) return refuseIn('password', { errors: { currentPassword: { key: 'account.wrongPassword' } } });
		return { passwordChanged: true };
	},
	createCalendar: async (event) => {
		const user = requireUser(event);
		const secret = await createFeed(db(), user.personId);
		return { calendarUrl: `${linkOrigin(event.url)}/calendar/${secret}.ics` };
	},
	revokeCalendar: async (event) => {
		const user = requireUser(event);
		await revokeFeed(db(), user.personId);
		return { calendarRevoked: true };
	}
};
