/** Language and text size: a cookie for visitors, the account for signed-in people. */
import type { Cookies } from '@sveltejs/kit';
import type { Locale } from '$lib/i18n';
import { config } from './config';

export const LANGUAGE_COOKIE = 'hd_lang';
export const TEXT_COOKIE = 'hd_text';
const YEAR_S = 365 * 24 * 60 * 60;

export function rememberLanguage(cookies: Cookies, locale: Locale): void {
	cookies.set(LANGUAGE_COOKIE, locale, { path: '/', maxAge: YEAR_S, sameSite: 'lax', httpOnly: true, secure: config().cookieSecure });
}

export function rememberTextSize(cookies: Cookies, large: boolean): void {
	cookies.set(TEXT_COOKIE, large ? 'large' : 'normal', {
		path: '/',
		maxAge: YEAR_S,
		sameSite: 'lax',
		httpOnly: true,
		secure: config().cookieSecure
	});
}
