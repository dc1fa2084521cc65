import { requireRole } from '$lib/server/auth/guard';
import { scopeOf } from '$lib/server/auth/roles';
import { communityName } from '$lib/server/communities';
import { db } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const scope = scopeOf(user.roles, 'staff');
	const communities = scope === 'all' ? null : await Promise.all(scope.map((id) => communityName(db(), id, event.locals.locale)));
	return { communities: communities?.filter((c): c is string => c !== null) ?? null };
};
