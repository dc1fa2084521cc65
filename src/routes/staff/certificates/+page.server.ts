import { requireRole } from '$lib/server/auth/guard';
import { findCertificates } from '$lib/server/certificates/staff';
import { db } from '$lib/server/db';
import { fields, parseForm, readQuery } from '$lib/server/forms';
import type { PageServerLoad } from './$types';

// A GET form, read like any other: characters that cannot be searched for get a message at the field.
const searchFields = { q: fields.optionalText({ max: 50 }) };

// Staff find a certificate of their communities by number, holder name or phone.
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const search = parseForm(searchFields, readQuery(event.url));
	if (!search.ok)
		return { query: search.values.q ?? '', queryError: search.errors.q ?? null, searched: false, mistyped: false, certificates: [] };
	const query = search.data.q ?? '';
	if (!query) return { query, queryError: null, searched: false, mistyped: false, certificates: [] };
	const found = await findCertificates(db(), user, query, event.locals.locale);
	return {
		query,
		queryError: null,
		searched: true,
		mistyped: !found.ok,
		certificates: found.ok ? found.certificates : []
	};
};
