/**
 * iCalendar (RFC 5545) for a person's feed: a VTIMEZONE for Asia/Shanghai, local times with TZID,
 * UID and DTSTAMP on every event, cancelled items as STATUS:CANCELLED, lines folded at 75 octets.
 */
import { shanghaiDate, shanghaiTime } from '../clock';

export type CalendarItem = {
	/** Stable across feeds and refreshes, e.g. 'reservation-123'. */
	uid: string;
	title: string;
	start: Date;
	end: Date;
	location?: string | null;
	description?: string | null;
	url?: string | null;
	cancelled: boolean;
	/** When the item last changed; feeds use it as DTSTAMP / LAST-MODIFIED. */
	updatedAt: Date;
};

const VTIMEZONE = [
	'BEGIN:VTIMEZONE',
	'TZID:Asia/Shanghai',
	'BEGIN:STANDARD',
	'DTSTART:19700101T000000',
	'TZOFFSETFROM:+0800',
	'TZOFFSETTO:+0800',
	'TZNAME:CST',
	'END:STANDARD',
	'END:VTIMEZONE'
];

function escapeText(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

function localStamp(instant: Date): string {
	return `${shanghaiDate(instant).replace(/-/g, '')}T${shanghaiTime(instant).replace(':', '')}00`;
}

function utcStamp(instant: Date): string {
	return instant
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character. */
export function fold(line: string): string {
	const parts: string[] = [];
	let current = '';
	let octets = 0;
	for (const char of line) {
		const size = Buffer.byteLength(char);
		const limit = parts.length === 0 ? 75 : 74; // Continuation lines start with a space.
		if (octets + size > limit) {
			parts.push(current);
			current = '';
			octets = 0;
		}
		current += char;
		octets += size;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

export function renderCalendar(name: string, items: CalendarItem[], options: { origin?: string; domain?: string } = {}): string {
	const domain = options.domain ?? 'healthy-dongmen';
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		`PRODID:-//Dongmen Subdistrict//Healthy Dongmen//ZH`,
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH'
	];
	lines.push(`X-WR-CALNAME:${escapeText(name)}`, 'X-WR-TIMEZONE:Asia/Shanghai', ...VTIMEZONE);
	for (const item of items) {
		lines.push(
			'BEGIN:VEVENT',
			`UID:${item.uid}@${domain}`,
			`DTSTAMP:${utcStamp(item.updatedAt)}`,
			`LAST-MODIFIED:${utcStamp(item.updatedAt)}`,
			`DTSTART;TZID=Asia/Shanghai:${localStamp(item.start)}`,
			`DTEND;TZID=Asia/Shanghai:${localStamp(item.end)}`,
			`SUMMARY:${escapeText(item.title)}`,
			`STATUS:${item.cancelled ? 'CANCELLED' : 'CONFIRMED'}`
		);
		if (item.location) lines.push(`LOCATION:${escapeText(item.location)}`);
		if (item.description) lines.push(`DESCRIPTION:${escapeText(item.description)}`);
		// Calendar apps need absolute links; items carry the portal's own paths.
		if (item.url) lines.push(`URL:${item.url.startsWith('/') && options.origin ? options.origin + item.url : item.url}`);
		lines.push('END:VEVENT');
	}
	lines.push('END:VCALENDAR');
	return lines.map(fold).join('\r\n') + '\r\n';
}
