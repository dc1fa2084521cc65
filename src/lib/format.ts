/** Dates and times as the reader expects them, always in Asia/Shanghai whatever the device says. */
import type { Locale } from '$lib/i18n';

type Style = 'dateTime' | 'date' | 'time';

const OPTIONS: Record<Style, Intl.DateTimeFormatOptions> = {
	dateTime: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false },
	date: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' },
	time: { hour: '2-digit', minute: '2-digit', hour12: false }
};

// Building an Intl.DateTimeFormat costs far more than using one: a page of sessions formats dozens
// of times, so each (locale, style) is built once per process.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, style: Style): Intl.DateTimeFormat {
	const key = `${locale}|${style}`;
	let f = formatters.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', ...OPTIONS[style] });
		formatters.set(key, f);
	}
	return f;
}

export function formatDateTime(iso: string | Date, locale: Locale): string {
	return formatter(locale, 'dateTime').format(new Date(iso));
}

export function formatDate(iso: string | Date, locale: Locale): string {
	return formatter(locale, 'date').format(new Date(iso));
}

export function formatTime(iso: string | Date, locale: Locale): string {
	return formatter(locale, 'time').format(new Date(iso));
}
