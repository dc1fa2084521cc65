/**
 * Every setting of the portal is an environment variable, read here and nowhere else.
 * The README's configuration table lists the same names; keep the two in step.
 */

export type Config = {
	databaseUrl: string | undefined;
	dataDir: string;
	dbPoolSize: number;
	/** statement_timeout / lock_timeout in ms (0: the server's own) for requests, and for long work
	 * (migrations, the worker, exports, the demo fill). PostgreSQL only. */
	dbTimeouts: { request: DbTimeouts; long: DbTimeouts };
	demo: boolean;
	/** Tests only (DEMO_FILL_PAUSE_MS): the demo fill waits this long midway, so a test can kill a first start there. */
	demoFillPauseMs: number;
	migrateOnStart: boolean;
	logLevel: LogLevel;
	/** Largest request body in bytes; the same BODY_SIZE_LIMIT that adapter-node applies when reading. */
	bodySizeLimit: number;
	/** A session ends after this long without a request… */
	sessionIdleMs: number;
	/** …and in any case this long after log-in. */
	sessionMaxMs: number;
	/** Secure cookies with the __Host- prefix: on when ORIGIN is https, or by COOKIE_SECURE. */
	cookieSecure: boolean;
	/** Footer: service telephone and ICP filing number. */
	/** Registrations allowed per client address per hour (each answer may say a number is taken). */
	registrationsPerHour: number;
	/** Public certificate look-ups per client address per minute (behind a proxy: see ADDRESS_HEADER). */
	verificationsPerMinute: number;
	/** Seconds between background worker rounds; 0 turns the worker off in this process. */
	workerIntervalMs: number;
	contactPhone: string;
	icpNumber: string;
	production: boolean;
	/**
	 * The public origin every link the portal sends or prints is built from (password links, the
	 * calendar address, certificate QR codes, posters): ORIGIN, or in demo mode without it
	 * `http://localhost:PORT`. Never the request's Host header. Undefined only behind a proxy that
	 * names protocol and host (PROTOCOL_HEADER and HOST_HEADER): then the proxy's headers decide.
	 */
	origin: string | undefined;
	/** ORIGIN itself was given (not the demo's localhost default). */
	originSet: boolean;
	/** Development and tests: every message sent is also written to this folder (it holds links: never in production). */
	messageDir: string | undefined;
	/** Both PROTOCOL_HEADER and HOST_HEADER are set: a proxy in front says which origin was asked for. */
	proxyOrigin: boolean;
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type DbTimeouts = { statementMs: number; lockMs: number };

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const HOUR = 60 * 60 * 1000;

export class ConfigError extends Error {}

export function parseBoolean(name: string, value: string | undefined): boolean | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const v = value.trim().toLowerCase();
	if (['1', 'true', 'yes', 'on'].includes(v)) return true;
	if (['0', 'false', 'no', 'off'].includes(v)) return false;
	throw new ConfigError(`${name} must be 1/0, true/false, yes/no or on/off, not "${value}"`);
}

function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined || value.trim() === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a positive whole number`);
	return n;
}

function parseNonNegativeInt(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined || value.trim() === '') return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number, 0 or more`);
	return n;
}

/** adapter-node's format: bytes, or a number with K, M or G; 'Infinity' turns the limit off. */
export function parseByteSize(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined || value.trim() === '') return fallback;
	if (value.trim() === 'Infinity') return Infinity;
	const m = /^(\d+)\s*([KMG]?)B?$/i.exec(value.trim());
	if (!m) throw new ConfigError(`${name} must be a size such as 512K or 10M`);
	const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
	return Number(m[1]) * unit;
}

/** ORIGIN as adapter-node takes it: scheme, host and port only. */
export function parseOrigin(name: string, value: string | undefined): string | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	let url: URL;
	try {
		url = new URL(value.trim());
	} catch {
		throw new ConfigError(`${name} must be an origin such as https://health.dongmen.example, not "${value}"`);
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) {
		throw new ConfigError(`${name} must be an origin such as https://health.dongmen.example (no path), not "${value}"`);
	}
	return url.origin;
}

export const ORIGIN_REQUIRED =
	'ORIGIN is not set. Set ORIGIN to the address residents open, e.g. ORIGIN=https://health.dongmen.example ' +
	'(behind a reverse proxy that sets X-Forwarded-Proto and X-Forwarded-Host, PROTOCOL_HEADER and HOST_HEADER instead). ' +
	'Without it, links the portal sends could not be trusted and form posts would be refused. ' +
	'Only demo mode (DEMO=1, the default on the embedded database) starts without it.';

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const databaseUrl = env.DATABASE_URL?.trim() || undefined;
	const demo = parseBoolean('DEMO', env.DEMO) ?? databaseUrl === undefined;
	const configuredOrigin = parseOrigin('ORIGIN', env.ORIGIN);
	const proxyOrigin = Boolean(env.PROTOCOL_HEADER?.trim() && env.HOST_HEADER?.trim());
	const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
	if (!LOG_LEVELS.includes(logLevel)) {
		throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
	}
	return {
		databaseUrl,
		dataDir: env.DATA_DIR?.trim() || './data',
		dbPoolSize: parsePositiveInt('DB_POOL_SIZE', env.DB_POOL_SIZE, 10),
		// A held lock or a stuck statement answers 503 within seconds instead of tying up the page.
		dbTimeouts: {
			request: {
				statementMs: parseNonNegativeInt('DB_STATEMENT_TIMEOUT_MS', env.DB_STATEMENT_TIMEOUT_MS, 4_000),
				lockMs: parseNonNegativeInt('DB_LOCK_TIMEOUT_MS', env.DB_LOCK_TIMEOUT_MS, 2_000)
			},
			long: {
				statementMs: parseNonNegativeInt('DB_LONG_STATEMENT_TIMEOUT_MS', env.DB_LONG_STATEMENT_TIMEOUT_MS, 300_000),
				lockMs: parseNonNegativeInt('DB_LONG_LOCK_TIMEOUT_MS', env.DB_LONG_LOCK_TIMEOUT_MS, 30_000)
			}
		},
		// Demo data belongs to the embedded database; a real server gets it only when asked.
		demo,
		demoFillPauseMs: parseNonNegativeInt('DEMO_FILL_PAUSE_MS', env.DEMO_FILL_PAUSE_MS, 0),
		migrateOnStart: parseBoolean('MIGRATE', env.MIGRATE) ?? true,
		logLevel,
		bodySizeLimit: parseByteSize('BODY_SIZE_LIMIT', env.BODY_SIZE_LIMIT, 512 * 1024),
		sessionIdleMs: parsePositiveInt('SESSION_IDLE_HOURS', env.SESSION_IDLE_HOURS, 72) * HOUR,
		sessionMaxMs: parsePositiveInt('SESSION_MAX_DAYS', env.SESSION_MAX_DAYS, 30) * 24 * HOUR,
		cookieSecure: parseBoolean('COOKIE_SECURE', env.COOKIE_SECURE) ?? (env.ORIGIN ?? '').startsWith('https://'),
		registrationsPerHour: parsePositiveInt('REGISTRATIONS_PER_HOUR', env.REGISTRATIONS_PER_HOUR, 20),
		verificationsPerMinute: parsePositiveInt('VERIFICATIONS_PER_MINUTE', env.VERIFICATIONS_PER_MINUTE, 30),
		workerIntervalMs: parseNonNegativeInt('WORKER_INTERVAL_SECONDS', env.WORKER_INTERVAL_SECONDS, 5) * 1000,
		contactPhone: env.CONTACT_PHONE?.trim() || '0755-0000 0000',
		icpNumber: env.ICP_NUMBER?.trim() || '粤ICP备00000000号',
		production: env.NODE_ENV === 'production',
		origin: configuredOrigin ?? (demo && !proxyOrigin ? `http://localhost:${env.PORT?.trim() || 3000}` : undefined),
		originSet: configuredOrigin !== undefined,
		messageDir: env.MESSAGE_DIR?.trim() || undefined,
		proxyOrigin
	};
}

/** A server that is not in demo mode must know its public origin: the one start-up refusal about it. */
export function checkOrigin(cfg: Config): void {
	if (!cfg.demo && !cfg.origin && !cfg.proxyOrigin) throw new ConfigError(ORIGIN_REQUIRED);
}

let cached: Config | undefined;

export function config(): Config {
	cached ??= readConfig();
	return cached;
}
