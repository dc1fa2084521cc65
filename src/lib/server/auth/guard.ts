/**
 * The one way loads and actions check who is asking (STYLE.md §3). Call it in every protected load
 * and every action: a layout's load does not run for actions, nor on every client navigation.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { holds, type Role } from './roles';
import type { AuthUser } from './user';

/** The signed-in user, or a redirect to log-in that comes back here afterwards. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): AuthUser {
	const user = event.locals.user;
	if (!user) {
		const next = event.url.pathname + event.url.search;
		redirect(303, `/login?next=${encodeURIComponent(next)}`);
	}
	return user;
}

/** The signed-in user holding `role` (in `communityId`, when the action concerns one), or 403. */
export function requireRole(event: Pick<RequestEvent, 'locals' | 'url'>, role: Role, communityId?: number | null): AuthUser {
	const user = requireUser(event);
	if (!holds(user.roles, role, communityId)) error(403, { message: 'Forbidden' });
	return user;
}

/**
 * A `next` parameter that stays on this site: a path of printable ASCII starting with one slash.
 * Browsers drop tabs and newlines and read backslashes as slashes, so `/\t/evil.example` or
 * `/\\evil.example` would leave the site: anything but plain path characters falls back.
 */
export function safeNext(next: string | null, fallback = '/'): string {
	if (!next || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next) || next.includes('\\')) return fallback;
	return next;
}
