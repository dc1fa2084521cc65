import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { calendarItems, feedOwner } from '$lib/server/calendar/feed';
import { renderCalendar } from '$lib/server/calendar/ical';
import { db } from '$lib/server/db';
import type { RequestHandler } from './$types';
import { linkOrigin } from '$lib/server/origin';

// /calendar/<secret>.ics — read-only; the secret is the only credential, so unknown and revoked
// secrets get the same 404 as any other unknown address.
export const GET: RequestHandler = async ({ params, url }) => {
	const match = /^([a-z2-7]{32})\.ics$/.exec(params.file);
	const owner = match ? await feedOwner(db(), match[1]!) : null;
	if (!owner) error(404, { message: 'Not found' });
	const items = await calendarItems(db(), owner.personId, owner.locale);
	return new Response(renderCalendar(translate(owner.locale, 'site.name'), items, { origin: linkOrigin(url) }), {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'cache-control': 'private, no-store',
			'x-robots-tag': 'noindex'
		}
	});
};
