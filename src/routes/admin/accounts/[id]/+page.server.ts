import { error } from '@sveltejs/kit';
import {
	accountDetail,
	disableAccount,
	enableAccount,
	grantRole,
	revokeRole,
	type DisableResult,
	type EnableResult
} from '$lib/server/admin/accounts';
import { shanghaiDateTime } from '$lib/server/admin/format';
import { createSetPasswordLink, REASON_MAX, type SetPasswordRefusal } from '$lib/server/auth/links';
import { linkOrigin } from '$lib/server/origin';
import { qrSvg } from '$lib/server/qr';
import { requireRole } from '$lib/server/auth/guard';
import { ROLES } from '$lib/server/auth/roles';
import { now, today } from '$lib/server/clock';
import { communityOptions } from '$lib/server/communities';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import type { FieldError } from '$lib/forms';
import { routeId } from '$lib/server/ids';
import type { Actions, PageServerLoad } from './$types';

const grantSchema = {
	role: fields.choice(ROLES),
	// Empty: all communities.
	communityId: fields.optionalInteger(1, 999_999_999_999, 'admin.error.community')
};
const revokeSchema = { roleId: fields.id() };
// Required by the service when the account has a password; the form always offers it.
const linkSchema = { reason: fields.optionalText({ max: REASON_MAX, multiline: true }) };
const LINK_REFUSED: Record<SetPasswordRefusal, Refused> = {
	'not-found': [404, { message: { key: 'admin.account.notFound' } }],
	disabled: [409, { message: { key: 'people.account.disabled' } }],
	'has-password': [409, { message: { key: 'people.account.hasPassword' } }],
	'has-roles': [409, { message: { key: 'people.account.hasRoles' } }],
	'reason-required': [400, { message: { key: 'admin.link.reasonRequired' } }]
};

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'admin');
	const locale = event.locals.locale;
	const account = await accountDetail(db(), routeId(event.params.id), { locale, onDate: today() });
	if (!account) error(404, { message: 'Not found' });
	return {
		account: {
			...account,
			createdAt: shanghaiDateTime(account.createdAt),
			lastLoginAt: account.lastLoginAt && shanghaiDateTime(account.lastLoginAt),
			disabledAt: account.disabledAt && shanghaiDateTime(account.disabledAt),
			roles: account.roles.map((r) => ({ ...r, grantedAt: shanghaiDateTime(r.grantedAt) }))
		},
		self: account.accountId === user.accountId,
		communities: await communityOptions(db(), locale),
		roles: ROLES
	};
};

type DisableRefusal = Extract<DisableResult, { ok: false }>['reason'];
type EnableRefusal = Extract<EnableResult, { ok: false }>['reason'];
type Refused = [status: number, refusal: { message: FieldError }];
const DISABLE_REFUSED: Record<DisableRefusal, Refused> = {
	'not-found': [404, { message: { key: 'admin.account.notFound' } }],
	self: [400, { message: { key: 'admin.account.self' } }],
	already: [409, { message: { key: 'admin.account.alreadyDisabled' } }],
	'last-admin': [409, { message: { key: 'admin.roles.lastAdmin' } }]
};
const ENABLE_REFUSED: Record<EnableRefusal, Refused> = {
	'not-found': [404, { message: { key: 'admin.account.notFound' } }],
	already: [409, { message: { key: 'admin.account.alreadyEnabled' } }],
	'demo-retired': [409, { message: { key: 'admin.account.demoRetired' } }]
};

export const actions: Actions = {
	disable: async (event) => {
		const user = requireRole(event, 'admin');
		const result = await disableAccount(db(), user.accountId, routeId(event.params.id));
		if (!result.ok) return refuse(...DISABLE_REFUSED[result.reason]);
		return { done: 'disabled' as const };
	},
	enable: async (event) => {
		const user = requireRole(event, 'admin');
		const result = await enableAccount(db(), user.accountId, routeId(event.params.id), { demoMode: config().demo });
		if (!result.ok) return refuse(...ENABLE_REFUSED[result.reason]);
		return { done: 'enabled' as const };
	},
	grant: async (event) => {
		const user = requireRole(event, 'admin');
		const parsed = parseForm(grantSchema, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const { role, communityId } = parsed.data;
		const result = await grantRole(db(), user.accountId, routeId(event.params.id), { role, communityId });
		if (result.ok) return { granted: { role, communityId } };
		const values = parsed.values;
		switch (result.reason) {
			case 'not-found':
				return refuse(404, { message: { key: 'admin.account.notFound' }, values });
			case 'unknown-community':
				return refuse(400, { errors: { communityId: { key: 'admin.error.community' } }, values });
			case 'not-scopable':
				return refuse(400, { errors: { communityId: { key: 'admin.roles.notScopable' } }, values });
			case 'duplicate':
				return refuse(409, { message: { key: 'admin.roles.duplicate' }, values });
			case 'covered':
				return refuse(409, { message: { key: 'admin.roles.covered' }, values });
		}
	},
	passwordLink: async (event) => {
		const user = requireRole(event, 'admin');
		const parsed = parseForm(linkSchema, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const made = await createSetPasswordLink(db(), {
			accountId: routeId(event.params.id),
			issuer: { accountId: user.accountId, admin: true },
			origin: linkOrigin(event.url),
			reason: parsed.data.reason
		});
		if (!made.ok) {
			const [status, body] = LINK_REFUSED[made.reason];
			return made.reason === 'reason-required'
				? refuse(status, { errors: { reason: { key: 'admin.link.reasonRequired' } }, values: parsed.values })
				: refuse(status, body);
		}
		return { link: { url: made.link, qr: await qrSvg(made.link), issuedAt: now().toISOString() } };
	},
	revoke: async (event) => {
		const user = requireRole(event, 'admin');
		const parsed = parseForm(revokeSchema, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { message: { key: 'admin.roles.notFound' } });
		const result = await revokeRole(db(), user.accountId, routeId(event.params.id), parsed.data.roleId);
		if (!result.ok) {
			if (result.reason === 'not-found') return refuse(404, { message: { key: 'admin.roles.notFound' } });
			return refuse(409, { message: { key: result.reason === 'self-admin' ? 'admin.roles.selfAdmin' : 'admin.roles.lastAdmin' } });
		}
		return { revoked: { role: result.role, communityId: result.communityId } };
	}
};
