import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { randomUUID } from 'node:crypto';
import { DEFAULT_LOCALE, isLocale } from '$lib/i18n';
import { areaRole } from '$lib/server/auth/areas';
import { holds } from '$lib/server/auth/roles';
import { clearSessionCookie, cookieName, setSessionCookie, validateSessionAndUser } from '$lib/server/auth/session';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db';
import { outageLog } from '$lib/server/db/outage-log';
import { isDatabaseUnavailable } from '$lib/server/db/unavailable';
import { publicErrorMessage } from '$lib/server/error-message';
import { errorFields, log } from '$lib/server/log';
import { formOrigin } from '$lib/server/origin';
import { unavailableBody, unavailableResponse } from '$lib/server/outage';
import { noStore } from '$lib/server/no-store';
import { LANGUAGE_COOKIE, TEXT_COOKIE } from '$lib/server/preferences';
import { startPortal, stopPortal } from '$lib/server/startup';
import { tooLargeResponse } from '$lib/server/too-large';
import { discardUnreadBody } from '$lib/server/unread-body';

export const init: ServerInit = async () => {
	try {
		await startPortal();
		// Demo passwords are public: a demo listens on this machine only unless HOST says otherwise.
		// adapter-node reads HOST after this hook has run (build/index.js imports the handler first).
		if (config().demo) process.env.HOST ??= '127.0.0.1';
	} catch (error) {
		// A clear line and a non-zero exit beat a stack trace on a half-started server.
		log.error('start_failed', errorFields(error));
		process.stderr.write(`\nHealthy Dongmen could not start: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	}
};

// adapter-node emits this after it stops accepting requests (SIGINT / SIGTERM).
process.once('sveltekit:shutdown', (reason: string) => void stopPortal(reason));

/** Outermost: whatever answered, a body nobody read is read and dropped, so the connection stays usable. */
const unreadBody: Handle = async ({ event, resolve }) => {
	try {
		return await resolve(event);
	} finally {
		discardUnreadBody(event.request);
	}
};

/** The cheapest route there is: no database, no session, no rendering. */
const livez: Handle = ({ event, resolve }) => {
	if (event.url.pathname === '/livez') {
		return new Response('ok\n', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
	}
	return resolve(event);
};

/**
 * Refuse an announced oversized body before any route reads it (adapter-node also caps the read),
 * with a message the person can act on: in the form for enhanced posts, a bilingual page otherwise.
 */
const bodyLimit: Handle = ({ event, resolve }) => {
	const length = Number(event.request.headers.get('content-length') ?? 0);
	const limit = config().bodySizeLimit;
	if (length > limit) return tooLargeResponse(event.request, event.url, limit, event.cookies.get(LANGUAGE_COOKIE));
	return resolve(event);
};

const requestLog: Handle = async ({ event, resolve }) => {
	event.locals.requestId = randomUUID();
	const t0 = performance.now();
	const response = await resolve(event);
	// The route id, never the path: paths can carry verification codes and calendar secrets.
	log.info('request', {
		id: event.locals.requestId,
		method: event.request.method,
		route: event.route.id ?? 'unmatched',
		status: response.status,
		ms: Math.round(performance.now() - t0)
	});
	return response;
};

/**
 * The database down, restarting or out of connections is no bug: 503 with Retry-After and a
 * friendly page instead of a 500. Errors thrown in a later handle (the session look-up) arrive
 * here; those in loads, actions and endpoints went through handleError, which marked the request.
 */
const databaseOutage: Handle = async ({ event, resolve }) => {
	const answer = (kept?: Response) =>
		unavailableResponse({
			request: event.request,
			locale: event.locals.locale ?? cookieLocale(event.cookies.get(LANGUAGE_COOKIE)),
			errorId: event.locals.requestId,
			isDataRequest: event.isDataRequest,
			kept
		});
	let response: Response;
	try {
		response = await resolve(event);
	} catch (error) {
		if (!isDatabaseUnavailable(error)) throw error;
		outageLog.refused({ id: event.locals.requestId, route: event.route.id }, error);
		return answer();
	}
	return event.locals.databaseUnavailable && response.status === 500 ? answer(response) : response;
};

const cookieLocale = (value: string | undefined) => (isLocale(value) ? value : DEFAULT_LOCALE);

const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=()',
	'cross-origin-opener-policy': 'same-origin'
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	return response;
};

/** Fills locals.user and locals.session from the session cookie (Lucia's guide). */
const session: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.unread = undefined;
	const token = event.cookies.get(cookieName());
	if (token) {
		// One round trip for both: every signed-in request needs them.
		const found = await validateSessionAndUser(db(), token);
		if (found) {
			event.locals.session = found.session;
			event.locals.user = found.user;
			// Read before anything changes: an action (POST) may mark notices read, so the layout
			// counts again then; a GET changes none.
			if (event.request.method === 'GET' || event.request.method === 'HEAD') event.locals.unread = found.unread;
			setSessionCookie(event.cookies, token, found.session.expiresAt);
		} else {
			clearSessionCookie(event.cookies);
		}
	}
	return resolve(event);
};

/**
 * Defence in depth for the staff areas: a request that changes something there from someone without
 * the role ends here. Pages and actions check again themselves (requireRole); GET requests go on so
 * that the page's own check can answer with the log-in redirect or the friendly 403 page.
 */
const areaGuard: Handle = ({ event, resolve }) => {
	const role = areaRole(event.url.pathname);
	if (!role || event.request.method === 'GET' || event.request.method === 'HEAD') return resolve(event);
	const user = event.locals.user;
	if (!user) return new Response(null, { status: 303, headers: { location: `/login?next=${encodeURIComponent(event.url.pathname)}` } });
	if (role !== 'user' && !holds(user.roles, role)) {
		return new Response('没有权限 / Forbidden\n', { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
	}
	return resolve(event);
};

const preferences: Handle = ({ event, resolve }) => {
	event.locals.locale = event.locals.user?.locale ?? cookieLocale(event.cookies.get(LANGUAGE_COOKIE));
	event.locals.largeText = event.locals.user?.largeText ?? event.cookies.get(TEXT_COOKIE) === 'large';
	return resolve(event, {
		transformPageChunk: ({ html }) =>
			html.replace('%lang%', event.locals.locale).replace('%textsize%', event.locals.largeText ? 'text-large' : 'text-normal')
	});
};

export const handle = sequence(
	unreadBody,
	livez,
	requestLog,
	securityHeaders,
	formOrigin,
	databaseOutage,
	bodyLimit,
	session,
	noStore,
	areaGuard,
	preferences
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const errorId = event.locals.requestId ?? randomUUID();
	if (isDatabaseUnavailable(error)) {
		event.locals.databaseUnavailable = true;
		outageLog.refused({ id: errorId, route: event.route.id }, error);
		return unavailableBody(errorId);
	}
	if (status >= 500) log.error('unhandled', { id: errorId, route: event.route.id ?? 'unmatched', ...errorFields(error) });
	return { message: publicErrorMessage(status, message), errorId };
};
