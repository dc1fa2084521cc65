import { outboxFailures, retryFailedMessage } from '$lib/server/admin/outbox';
import { shanghaiDateTime } from '$lib/server/admin/format';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const retrySchema = { id: fields.id() };

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const failures = await outboxFailures(db());
	return { failures: failures.map((f) => ({ ...f, createdAt: shanghaiDateTime(f.createdAt) })) };
};

export const actions: Actions = {
	retry: async (event) => {
		const user = requireRole(event, 'admin');
		const parsed = parseForm(retrySchema, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { message: { key: 'admin.outbox.gone' } });
		if (!(await retryFailedMessage(db(), user.accountId, parsed.data.id))) return refuse(409, { message: { key: 'admin.outbox.gone' } });
		return { retried: parsed.data.id };
	}
};
