import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { randomUUID } from 'node:crypto';
import { config } from '$lib/server/config';
import { errorFields, log } from '$lib/server/log';
import { startPortal, stopPortal } from '$lib/server/startup';

export const init: ServerInit = async () => {
	try {
		await startPortal();
	} catch (error) {
		// A clear line and a non-zero exit beat a stack trace on a half-started server.
		log.error('start_failed', errorFields(error));
		process.stderr.write(`\nHealthy Dongmen could not start: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	}
};

// adapter-node emits this after it stops accepting requests (SIGINT / SIGTERM).
process.once('sveltekit:shutdown', (reason: string) => void stopPortal(reason));

/** The cheapest route there is: no database, no session, no rendering. */
const livez: Handle = ({ event, resolve }) => {
	if (event.url.pathname === '/livez') {
		return new Response('ok\n', { headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
	}
	return resolve(event);
};

/** Refuse an announced oversized body before any route reads it (adapter-node also caps the read). */
const bodyLimit: Handle = ({ event, resolve }) => {
	const length = Number(event.request.headers.get('content-length') ?? 0);
	if (length > config().bodySizeLimit) {
		return new Response('请求内容过大 / Request body too large\n', {
			status: 413,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
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

const language: Handle = ({ event, resolve }) => {
	event.locals.locale = 'zh-CN';
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
};

export const handle = sequence(livez, requestLog, bodyLimit, securityHeaders, language);

export const handleError: HandleServerError = ({ error, event, status }) => {
	const errorId = event.locals.requestId ?? randomUUID();
	if (status >= 500) log.error('unhandled', { id: errorId, route: event.route.id ?? 'unmatched', ...errorFields(error) });
	return { message: status === 404 ? 'Not found' : 'Internal error', errorId };
};
