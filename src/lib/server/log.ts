/**
 * Structured logs, one JSON object per line on stdout.
 *
 * Personal data (names, phone numbers, e-mail addresses, health notes) never belongs in a log.
 * Callers pass only identifiers and codes; as a second line of defence every string value is
 * scrubbed of anything shaped like a phone number or an e-mail address.
 */
import { config, type LogLevel } from './config';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const PHONE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g;
const EMAIL = /[^\s@"']+@[^\s@"']+\.[^\s@"']+/g;

export function scrub(value: string): string {
	return value.replace(PHONE, '[phone]').replace(EMAIL, '[email]');
}

function threshold(): LogLevel {
	try {
		return config().logLevel;
	} catch {
		return 'info'; // A bad setting must not also silence the message that reports it.
	}
}

function write(level: LogLevel, event: string, fields: LogFields = {}): void {
	if (ORDER[level] < ORDER[threshold()]) return;
	const entry: Record<string, unknown> = { time: new Date().toISOString(), level, event };
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		entry[key] = typeof value === 'string' ? scrub(value) : value;
	}
	process.stdout.write(JSON.stringify(entry) + '\n');
}

export const log = {
	debug: (event: string, fields?: LogFields) => write('debug', event, fields),
	info: (event: string, fields?: LogFields) => write('info', event, fields),
	warn: (event: string, fields?: LogFields) => write('warn', event, fields),
	error: (event: string, fields?: LogFields) => write('error', event, fields)
};

/** The name and message of an error, scrubbed; never its stack's local values. */
export function errorFields(error: unknown): LogFields {
	if (error instanceof Error) {
		return { error: error.name, message: scrub(error.message).slice(0, 500) };
	}
	return { error: 'non-error', message: scrub(String(error)).slice(0, 500) };
}
