/**
 * The answer to a request body over BODY_SIZE_LIMIT (a roster file too big, say), given before any
 * route reads it: never a bare 413 or a 500. A form enhanced by JavaScript gets a failed action
 * result, so the page shows the message above the form in the user's language; a form posted
 * without JavaScript gets a small page in both languages with a way back.
 */
import { isLocale, translate, type Locale } from '$lib/i18n';
import { isSiteOrigin } from './origin';

/** devalue's flat encoding (what `deserialize` in `$app/forms` reads) of strings, numbers and plain objects. */
function flatten(value: unknown): string {
	const out: unknown[] = [];
	const add = (v: unknown): number => {
		const index = out.length;
		out.push(null);
		if (v !== null && typeof v === 'object') {
			const slots: Record<string, number> = {};
			out[index] = slots;
			for (const [k, inner] of Object.entries(v)) slots[k] = add(inner);
		} else out[index] = v;
		return index;
	};
	add(value);
	return JSON.stringify(out);
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function tooLargeResponse(request: Request, url: URL, limitBytes: number, cookieLocale: string | undefined): Response {
	const kb = Math.floor(limitBytes / 1024);
	const message = { key: 'error.bodyTooLarge', params: { kb } };
	if (request.headers.get('x-sveltekit-action') === 'true') {
		return new Response(JSON.stringify({ type: 'failure', status: 413, data: flatten({ message }) }), {
			status: 413,
			headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }
		});
	}
	const first: Locale = isLocale(cookieLocale) ? cookieLocale : 'zh-CN';
	const locales: Locale[] = first === 'en' ? ['en', 'zh-CN'] : ['zh-CN', 'en'];
	// Back to the form: the page it came from when that is on this site, else the address posted to.
	const referer = request.headers.get('referer');
	const from = referer && URL.canParse(referer) ? new URL(referer) : null;
	const back = from && isSiteOrigin(from.origin, url) ? from.pathname + from.search : url.pathname;
	const parts = locales.map(
		(l) =>
			`<section lang="${l}"><h1>${escape(translate(l, 'error.bodyTooLargeTitle'))}</h1><p>${escape(translate(l, 'error.bodyTooLarge', { kb }))}</p>` +
			`<p><a href="${escape(back)}">${escape(translate(l, 'error.goBack'))}</a></p></section>`
	);
	const html =
		`<!doctype html><html lang="${first}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>${escape(locales.map((l) => translate(l, 'error.bodyTooLargeTitle')).join(' · '))}</title></head>` +
		`<body><main>${parts.join('')}</main></body></html>`;
	return new Response(html, {
		status: 413,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
		}
	});
}
