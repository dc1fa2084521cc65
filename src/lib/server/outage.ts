/**
 * The answer while the database cannot be reached: 503 with Retry-After, and a small page in both
 * languages that needs nothing from the database (not even the layout, whose data may need it).
 */
import { translate, type Locale, type MessageKey } from '$lib/i18n';

export const RETRY_AFTER_SECONDS = 15;

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function page(locale: Locale, errorId: string): string {
	const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
	const say = (l: Locale, key: MessageKey) => escape(translate(l, key));
	return `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${say(locale, 'error.page.unavailable')} · ${say(locale, 'site.name')}</title></head>
<body>
<main>
<h1>${say(locale, 'error.page.unavailable')}</h1>
<p>${say(locale, 'error.page.unavailable.database')}</p>
<p lang="${other}">${say(other, 'error.page.unavailable')} — ${say(other, 'error.page.unavailable.database')}</p>
<p>${say(locale, 'error.page.reference')}: <code>${escape(errorId)}</code></p>
<p><a href="/">${say(locale, 'error.page.home')}</a> · <a href="/" lang="${other}">${say(other, 'error.page.home')}</a></p>
</main>
</body>
</html>
`;
}

export function unavailableBody(errorId: string): App.Error {
	return { message: translate('en', 'error.page.unavailable'), errorId, unavailable: true };
}

/**
 * A fresh 503 answer: HTML for a browser, SvelteKit's JSON error shape for `use:enhance` posts and
 * client-side navigation. `kept` is SvelteKit's own 500 answer when there is one: its headers (CSP,
 * cookies) and, for JSON, its body stay.
 */
export async function unavailableResponse(options: {
	request: Request;
	locale: Locale;
	errorId: string;
	isDataRequest: boolean;
	kept?: Response;
}): Promise<Response> {
	const { request, locale, errorId, isDataRequest, kept } = options;
	const headers = new Headers(kept?.headers);
	headers.set('retry-after', String(RETRY_AFTER_SECONDS));
	headers.set('cache-control', 'no-store');
	const accept = request.headers.get('accept') ?? '';
	const wantsJson =
		isDataRequest || request.headers.has('x-sveltekit-action') || (accept.includes('application/json') && !accept.includes('text/html'));
	if (wantsJson) {
		headers.set('content-type', 'application/json');
		// A `use:enhance` post reads an action result; a data request reads the error itself.
		const error = unavailableBody(errorId);
		const fresh = request.headers.has('x-sveltekit-action') ? { type: 'error', error } : error;
		const body = kept && (kept.headers.get('content-type') ?? '').includes('json') ? await kept.text() : JSON.stringify(fresh);
		return new Response(body, { status: 503, headers });
	}
	headers.set('content-type', 'text/html; charset=utf-8');
	headers.delete('content-length');
	return new Response(page(locale, errorId), { status: 503, headers });
}
