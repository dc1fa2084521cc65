/** Dates and times as the reader expects them, always in Asia/Shanghai whatever the device says. */
import type { Locale } from '$lib/i18n';

export function formatDateTime(iso: string | Date, locale: Locale): string {
	return new Intl.DateTimeFormat(locale, {
		timeZone: 'Asia/Shanghai',
		year: 'numeric',
		month: 'long',
		day: 'numeric',
		weekday: 'short',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(new Date(iso));
}

export function formatDate(iso: string | Date, locale: Locale): string {
	return new Intl.DateTimeFormat(locale, {
		timeZone: 'Asia/Shanghai',
		year: 'numeric',
		month: 'long',
		day: 'numeric',
		weekday: 'short'
	}).format(new Date(iso));
}

export function formatTime(iso: string | Date, locale: Locale): string {
	return new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(
		new Date(iso)
	);
}
