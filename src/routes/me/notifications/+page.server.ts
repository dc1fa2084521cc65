import { localizeParams } from '$lib/i18n/params';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { fields, parseForm, readForm, refuseStale } from '$lib/server/forms';
import { memberLabels } from '$lib/server/households/households';
import { listNotifications, markRead } from '$lib/server/notifications/notify';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const rows = await listNotifications(db(), user.personId);
	// A copy of a family member's notice carries their id only; the name comes from the household.
	const labels = await memberLabels(db(), user.personId);
	const forOf = (params: unknown) => {
		const id = (params as { for_person?: unknown } | null)?.for_person;
		return typeof id === 'number' ? (labels.get(id) ?? null) : null;
	};
	return {
		notifications: rows.map((n) => ({
			id: n.id,
			kind: n.kind,
			params: localizeParams(n.params, event.locals.locale),
			link: n.link,
			forName: forOf(n.params),
			createdAt: n.created_at.toISOString(),
			read: n.read_at !== null
		}))
	};
};

export const actions: Actions = {
	read: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm({ id: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		// Scoped to the person: someone else's id simply marks nothing.
		await markRead(db(), user.personId, parsed.data.id);
		return { done: true };
	},
	readAll: async (event) => {
		const user = requireUser(event);
		await markRead(db(), user.personId);
		return { done: true };
	}
};
