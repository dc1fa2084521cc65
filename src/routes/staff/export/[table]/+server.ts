import { error } from '@sveltejs/kit';
import { audit } from '$lib/server/audit';
import { requireRole } from '$lib/server/auth/guard';
import { db, longDb } from '$lib/server/db';
import { exportCsv, isExportTable } from '$lib/server/participation/exports';
import { filtersOf } from '../../filters.server';
import type { RequestHandler } from './$types';

/** A table of the participation pages as CSV; the same filters and the same scoping as the page. */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'staff');
	if (!isExportTable(event.params.table)) error(404, { message: 'Not found' });
	const filters = await filtersOf(event, user);
	// A whole period's table at district scale may take longer than a page's statement limit.
	const csv = await exportCsv(longDb(), event.params.table, filters, event.locals.locale);
	await audit(db(), {
		actorAccountId: user.accountId,
		action: 'participation.export',
		subjectType: 'participation',
		subjectId: event.params.table,
		communityId: filters.communityId,
		details: { from: filters.from, to: filters.to, rows: csv.rows }
	});
	return new Response(csv.body, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${csv.fileName}"`,
			'cache-control': 'no-store'
		}
	});
};
