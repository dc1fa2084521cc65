/**
 * Every setting of the portal is an environment variable, read here and nowhere else.
 * The README's configuration table lists the same names; keep the two in step.
 */

export type Config = {
	databaseUrl: string | undefined;
	dataDir: string;
	dbPoolSize: number;
	demo: boolean;
	migrateOnStart: boolean;
	logLevel: LogLevel;
	production: boolean;
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

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

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const databaseUrl = env.DATABASE_URL?.trim() || undefined;
	const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
	if (!LOG_LEVELS.includes(logLevel)) {
		throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
	}
	return {
		databaseUrl,
		dataDir: env.DATA_DIR?.trim() || './data',
		dbPoolSize: parsePositiveInt('DB_POOL_SIZE', env.DB_POOL_SIZE, 10),
		// Demo data belongs to the embedded database; a real server gets it only when asked.
		demo: parseBoolean('DEMO', env.DEMO) ?? databaseUrl === undefined,
		migrateOnStart: parseBoolean('MIGRATE', env.MIGRATE) ?? true,
		logLevel,
		production: env.NODE_ENV === 'production'
	};
}

let cached: Config | undefined;

export function config(): Config {
	cached ??= readConfig();
	return cached;
}
