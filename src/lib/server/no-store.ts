/**
 * Pages behind log-in hold health data (an appointment's reason, a doctor's agenda, a person's
 * record, a household member's page): no cache — a shared proxy's or the browser's back-forward
 * and disk caches — may keep them. Every answer to a signed-in person, and every answer under a
 * protected area (including the log-in redirect), says `Cache-Control: no-store`.
 */
import type { Handle } from '@sveltejs/kit';
import { areaRole } from './auth/areas';

export const noStore: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (event.locals.user || areaRole(event.url.pathname)) response.headers.set('cache-control', 'no-store');
	return response;
};
