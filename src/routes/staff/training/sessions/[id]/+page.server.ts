import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db';
import { parseForm, readForm, refuse } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import { staffCovers } from '$lib/server/people/people';
import { importRoster } from '$lib/server/training/roster-import';
import { sessionChangeFields } from '$lib/server/training/schema';
import { cancelSession, sessionChangeValues, sessionJson, sessionView, trainerOptions, updateSession } from '$lib/server/training/sessions';
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** The session, when the staff member works for its community; otherwise a plain 404. */
async function sessionForStaff(event: RequestEvent<{ id: string }>) {
	const user = requireRole(event, 'staff');
	const session = await sessionView(db(), routeId(event.params.id), event.locals.locale);
	if (!session || !staffCovers(user, session.communityId)) error(404, { message: 'Not found' });
	return { user, session };
}

export const load: PageServerLoad = async (event) => {
	const { session } = await sessionForStaff(event);
	return {
		change: await sessionChangeValues(db(), session.occurrenceId),
		trainers: await trainerOptions(db()),
		session: sessionJson(session),
		created: event.url.searchParams.has('created'),
		maxKb: Math.floor(config().bodySizeLimit / 1024)
	};
};

export const actions: Actions = {
	import: async (event) => {
		const { user, session } = await sessionForStaff(event);
		const form = await readForm(event.request);
		const file = form.get('roster');
		const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
		const consent = form.get('consent');
		const result = await importRoster(db(), user, {
			occurrenceId: session.occurrenceId,
			bytes,
			consentConfirmed: typeof consent === 'string' && consent !== '' && consent !== 'off'
		});
		if (result.ok) return { imported: result };
		switch (result.reason) {
			case 'not-found':
			case 'out-of-scope':
				error(404, { message: 'Not found' });
			// eslint-disable-next-line no-fallthrough -- error() throws
			case 'unreadable':
				return refuse(400, { errors: { roster: { key: result.problem.key, params: result.problem.params } } });
			case 'bad-rows':
				return fail(400, {
					message: { key: 'training.roster.badRows' as const, params: { n: result.problems.length } },
					problems: result.problems.slice(0, 200)
				});
			case 'too-many':
				return fail(409, {
					message: { key: 'training.roster.tooMany' as const, params: { rows: result.rows, left: result.placesLeft } },
					dedicated: result.rows
				});
			case 'consent':
				return refuse(400, { errors: { consent: { key: 'training.roster.needConsent', params: { lines: result.lines.join(', ') } } } });
			case 'busy':
				return refuse(409, { message: { key: 'training.roster.busy' } });
			default:
				return refuse(409, { message: { key: `training.roster.refused.${result.reason}` } });
		}
	},
	change: async (event) => {
		const { user, session } = await sessionForStaff(event);
		const parsed = parseForm(sessionChangeFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await updateSession(db(), user, session.occurrenceId, parsed.data);
		if (result.ok) return { changed: result.offered };
		if (result.reason === 'not-found' || result.reason === 'out-of-scope') error(404, { message: 'Not found' });
		if (result.reason === 'below-held')
			return refuse(409, {
				errors: { capacity: { key: 'training.staff.refused.below-held', params: { held: result.held } } },
				values: parsed.values
			});
		if (result.reason === 'no-trainer')
			return refuse(400, { errors: { trainerAccountId: { key: 'training.staff.refused.no-trainer' } }, values: parsed.values });
		return refuse(409, { message: { key: 'training.staff.refused.closed' }, values: parsed.values });
	},
	cancel: async (event) => {
		const { user, session } = await sessionForStaff(event);
		const result = await cancelSession(db(), user, session.occurrenceId);
		if (!result.ok) error(404, { message: 'Not found' });
		return { cancelled: result.people };
	}
};
