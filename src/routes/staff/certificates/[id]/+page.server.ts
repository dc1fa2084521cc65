import { formatDateTime } from '$lib/format';
import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { reissueCertificate, revokeCertificate } from '$lib/server/certificates/issue';
import { certificateForStaff } from '$lib/server/certificates/staff';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import type { Actions, PageServerLoad } from './$types';
import { linkOrigin } from '$lib/server/origin';

// One certificate for staff of its community: who holds it, its history, revoke or re-issue.
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const certificate = await certificateForStaff(db(), user, routeId(event.params.id), event.locals.locale);
	// Out of scope and missing look the same.
	if (!certificate) error(404, { message: 'Not found' });
	return { certificate, origin: linkOrigin(event.url) };
};

const NOT_FOUND = { message: { key: 'staff.cert.notFound' as const } };

export const actions: Actions = {
	revoke: async (event) => {
		const user = requireRole(event, 'staff');
		const id = routeId(event.params.id);
		const parsed = parseForm({ reason: fields.text({ max: 300 }) }, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		if (!(await certificateForStaff(db(), user, id, event.locals.locale))) return refuse(404, NOT_FOUND);
		const result = await revokeCertificate(db(), user, id, parsed.data.reason);
		if (!result.ok)
			return refuse(result.reason === 'already-revoked' ? 409 : 404, {
				message: { key: result.reason === 'already-revoked' ? 'staff.cert.alreadyRevoked' : 'staff.cert.notFound' }
			});
		return { revoked: true };
	},
	reissue: async (event) => {
		const user = requireRole(event, 'staff');
		const id = routeId(event.params.id);
		if (!(await certificateForStaff(db(), user, id, event.locals.locale))) return refuse(404, NOT_FOUND);
		const result = await reissueCertificate(db(), user, id);
		if (!result.ok) {
			if (result.reason === 'missing-characters')
				return refuse(409, { message: { key: 'issue.refused.missing-characters', params: { characters: result.characters.join(' ') } } });
			if (result.reason === 'not-found' || result.reason === 'forbidden') return refuse(404, NOT_FOUND);
			if (result.reason === 'not-ended')
				return refuse(409, {
					message: { key: 'issue.refused.not-ended', params: { end: formatDateTime(result.endsAt, event.locals.locale) } }
				});
			return refuse(409, { message: { key: `issue.refused.${result.reason}` } });
		}
		return { reissued: result.issued[0]!.number };
	}
};
