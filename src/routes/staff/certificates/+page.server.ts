import { requireRole } from '$lib/server/auth/guard';
import { findCertificates } from '$lib/server/certificates/staff';
import { db } from '$lib/server/db';
import type { PageServerLoad } from './$types';

// Staff find a certificate of their communities by number, holder name or phone.
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const query = (event.url.searchParams.get('q') ?? '').slice(0, 50);
	if (!query.trim()) return { query, searched: false, mistyped: false, certificates: [] };
	const found = await findCertificates(db(), user, query, event.locals.locale);
	return {
		query,
		searched: true,
		mistyped: !found.ok,
		certificates: found.ok ? found.certificates : []
	};
};
