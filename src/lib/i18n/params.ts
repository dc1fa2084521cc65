/**
 * Stored message parameters in the reader's language: `title_zh` / `title_en` pairs become `title`,
 * and ISO instants become dates and times in Asia/Shanghai. Notifications keep both languages'
 * words because the reader may switch language after the notice was written.
 */
import { formatDateTime } from '$lib/format';
import type { Locale, Params } from './index';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function localizeParams(stored: unknown, locale: Locale): Params {
	const out: Params = {};
	if (!stored || typeof stored !== 'object') return out;
	const suffix = locale === 'en' ? '_en' : '_zh';
	for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
		if (typeof value !== 'string' && typeof value !== 'number') continue;
		const formatted = typeof value === 'string' && ISO_INSTANT.test(value) ? formatDateTime(value, locale) : value;
		if (key.endsWith('_zh') || key.endsWith('_en')) {
			if (key.endsWith(suffix)) out[key.slice(0, -3)] = formatted;
		} else {
			out[key] = formatted;
		}
	}
	return out;
}
