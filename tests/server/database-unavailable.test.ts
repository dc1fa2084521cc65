/**
 * Which errors mean "the database cannot be reached just now" (answered 503 with a friendly page)
 * and which are bugs (500): the real errors `pg` and `pg-pool` throw, provoked here without any
 * PostgreSQL — a closed port, a server that never answers, a pool whose only client stays busy.
 */
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/lib/server/db/unavailable';
import { freePort } from '../helpers/servers';

/** A TCP server that accepts connections and never says a word, like a hung database. */
let silent: net.Server;
let silentPort: number;
const sockets: net.Socket[] = [];
beforeAll(async () => {
	silent = net.createServer((socket) => void sockets.push(socket));
	await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
	silentPort = (silent.address() as net.AddressInfo).port;
});
afterAll(async () => {
	sockets.forEach((s) => s.destroy());
	await new Promise((resolve) => silent.close(resolve));
});

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
	try {
		await run();
	} catch (error) {
		return error;
	}
	throw new Error('expected a failure');
}

describe('a database that cannot be reached', () => {
	it('is recognised when nothing listens on its port', async () => {
		const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/postgres` });
		const error = await errorOf(() => pool.query('SELECT 1'));
		await pool.end();
		expect((error as { code?: string }).code).toBe('ECONNREFUSED');
		expect(isDatabaseUnavailable(error)).toBe(true);
	});

	it('is recognised when the server accepts but never answers', async () => {
		const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${silentPort}/postgres`, connectionTimeoutMillis: 200 });
		const error = await errorOf(() => pool.query('SELECT 1'));
		await pool.end();
		expect(String(error)).toContain('timeout');
		expect(isDatabaseUnavailable(error)).toBe(true);
	});

	it('is recognised when every pooled connection stays busy past the wait', async () => {
		// The only client is stuck connecting; the next request waits for the pool and gives up.
		const pool = new pg.Pool({
			connectionString: `postgres://postgres@127.0.0.1:${silentPort}/postgres`,
			max: 1,
			connectionTimeoutMillis: 300
		});
		const first = errorOf(() => pool.query('SELECT 1'));
		const second = await errorOf(() => pool.query('SELECT 1'));
		await first;
		await pool.end();
		expect(String(second)).toContain('timeout exceeded when trying to connect');
		expect(isDatabaseUnavailable(second)).toBe(true);
	});

	it('covers the server shutting down, starting up or out of connections', () => {
		for (const code of ['57P01', '57P03', '53300', '08006', '3D000']) expect(isDatabaseUnavailable({ code, message: 'x' })).toBe(true);
		expect(isDatabaseUnavailable(new Error('wrapped', { cause: new Error('Connection terminated unexpectedly') }))).toBe(true);
	});
});

describe('an ordinary failure', () => {
	it('is not mistaken for an outage: bugs and refusals stay what they are', () => {
		expect(isDatabaseUnavailable(new Error('Cannot read properties of undefined'))).toBe(false);
		expect(isDatabaseUnavailable({ code: '23505', message: 'duplicate key value violates unique constraint' })).toBe(false);
		expect(isDatabaseUnavailable({ code: '42P01', message: 'relation "nope" does not exist' })).toBe(false);
		expect(isDatabaseUnavailable(null)).toBe(false);
		expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
	});
});
