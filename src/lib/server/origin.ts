/**
 * Which origin the portal is, for two jobs: links it sends or prints, and the cross-site check on
 * form posts.
 *
 * adapter-node without ORIGIN takes the origin from the Host header and assumes `https`, so on
 * `http://localhost:3000` SvelteKit's own CSRF check (Origin header = `url.origin`) refused every
 * form post of a newcomer's `npm start`. That check is therefore turned off in svelte.config.js
 * (`csrf.trustedOrigins: ['*']`) and made here instead, with the same rule — a form-encoded POST,
 * PUT, PATCH or DELETE must come from the portal's own origin — and one difference: in demo mode
 * without ORIGIN (one machine, `http`), the page's own `http://<host>` counts as the portal's origin.
 * Outside demo mode the server does not start without ORIGIN or both proxy headers
 * (`checkOrigin` in config.ts), so there `url.origin` is ORIGIN or what the proxy said.
 */
import type { Handle } from '@sveltejs/kit';
import { config } from './config';

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The origin links are built from: ORIGIN (or demo's localhost), else the proxy's headers — never Host alone. */
export function linkOrigin(url: URL): string {
	return config().origin ?? url.origin;
}

/** The origins a form on this site is posted from, as the browser names them in the Origin header. */
export function siteOrigins(url: URL): string[] {
	const cfg = config();
	// Demo without ORIGIN: adapter-node guessed https, while the browser is on plain http.
	if (cfg.demo && !cfg.originSet && !cfg.proxyOrigin) return [url.origin, `http://${url.host}`];
	return [url.origin];
}

export function isSiteOrigin(origin: string | null | undefined, url: URL): boolean {
	return !!origin && siteOrigins(url).includes(origin);
}

function isFormPost(request: Request): boolean {
	if (!CHANGING.has(request.method)) return false;
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
	return FORM_TYPES.has(type);
}

/**
 * SvelteKit's CSRF rule for form posts, with the demo difference above. And a form posted without
 * SvelteKit's script (`x-sveltekit-action`) that accepts anything (`Accept: *\/*`, as curl or a
 * simple client sends) is answered as the HTML form it is — a 303 after a log-in, a page with the
 * messages otherwise — not with the JSON meant for the page's own script.
 */
export const formOrigin: Handle = ({ event, resolve }) => {
	const { request, url } = event;
	if (!isFormPost(request)) return resolve(event);
	if (request.headers.get('x-sveltekit-action') !== 'true' && ['', '*/*'].includes((request.headers.get('accept') ?? '').trim())) {
		request.headers.set('accept', 'text/html');
	}
	if (isSiteOrigin(request.headers.get('origin'), url)) return resolve(event);
	const message = `Cross-site ${request.method} form submissions are forbidden / 不接受来自其他网站的表单提交`;
	if (request.headers.get('accept') === 'application/json') {
		return new Response(JSON.stringify({ message }), { status: 403, headers: { 'content-type': 'application/json' } });
	}
	return new Response(message, { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
