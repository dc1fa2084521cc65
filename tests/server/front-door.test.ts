/**
 * The front door (issue 19): how the portal starts without ORIGIN, and that no link it sends is
 * built from a request's Host header (issue 20, finding 3). The servers here start as `npm start`
 * does (tests/helpers/newcomer.ts); the browser log-in itself is tests/e2e/front-door.spec.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/lib/server/demo/seed';
import { startAsNewcomer, type Newcomer } from '../helpers/newcomer';

const started: Newcomer[] = [];
const dirs: string[] = [];
afterAll(async () => {
	await Promise.all(started.map((s) => s.stop()));
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}, options?: { wait?: boolean }) {
	const s = await startAsNewcomer(env, options);
	started.push(s);
	return s;
}

/** A form post with a Host header of the attacker's choosing (fetch would not let us set Host). */
function postForm(port: number, pathname: string, body: string, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				path: pathname,
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...headers }
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** The newest message in a MESSAGE_DIR for an address, waiting for the worker to send it. */
async function messageTo(dir: string, address: string): Promise<{ text: string }> {
	for (let i = 0; i < 150; i++) {
		const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort().reverse() : [];
		for (const f of files) {
			const m = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { address: string; text: string; kind: string };
			if (m.address === address && m.kind === 'password_reset') return m;
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`no message reached ${address}`);
}

const resident = DEMO_ACCOUNTS.find((a) => a.roles.every((r) => r.role === 'resident'))!;

describe('starting without ORIGIN', () => {
	it('is refused outside demo mode, with one message naming ORIGIN', async () => {
		const s = await start({ DEMO: '0' }, { wait: false });
		expect(await s.exited).toBe(1);
		expect(s.output()).toMatch(/could not start: ORIGIN is not set\. Set ORIGIN to/);
		expect(s.output()).not.toContain('Serving on');
	});

	it('is allowed outside demo mode behind a proxy that names protocol and host', async () => {
		const s = await start({ DEMO: '0', PROTOCOL_HEADER: 'x-forwarded-proto', HOST_HEADER: 'x-forwarded-host' });
		const res = await fetch(`http://127.0.0.1:${s.port}/healthz`);
		expect(res.status).toBe(200);
	});
});

describe('a log-in posted as curl posts it (no script, Accept: */*)', () => {
	it('is answered as a form: 303 to the home page, at localhost and at 127.0.0.1', async () => {
		const s = await start();
		for (const host of ['localhost', '127.0.0.1']) {
			const status = await postForm(s.port, '/login', `login=${resident.phone}&password=Dongmen-demo-2026`, {
				host: `${host}:${s.port}`,
				origin: `http://${host}:${s.port}`,
				accept: '*/*'
			});
			expect(status, host).toBe(303);
		}
		// A post from elsewhere is still refused.
		const forged = await postForm(s.port, '/login', `login=${resident.phone}&password=Dongmen-demo-2026`, {
			host: `localhost:${s.port}`,
			origin: 'http://evil.example',
			accept: '*/*'
		});
		expect(forged).toBe(403);
	});
});

describe('links sent by the portal', () => {
	it('never take the Host of the request: in demo mode they point at this machine', async () => {
		const messages = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-messages-'));
		dirs.push(messages);
		const s = await start({ MESSAGE_DIR: messages, WORKER_INTERVAL_SECONDS: '1' });
		const status = await postForm(s.port, '/reset', `login=${resident.phone}`, { host: 'evil.example', origin: 'http://evil.example' });
		expect(status).toBe(200);
		const message = await messageTo(messages, resident.phone);
		expect(message.text).toContain(`http://localhost:${s.port}/reset/`);
		expect(message.text).not.toContain('evil.example');
	});

	it('never take the Host of the request: with ORIGIN they point at ORIGIN', async () => {
		const messages = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-messages-'));
		dirs.push(messages);
		const s = await start({ ORIGIN: 'https://health.dongmen.example', MESSAGE_DIR: messages, WORKER_INTERVAL_SECONDS: '1' });
		// The cross-site check holds with ORIGIN: a post from the forged origin is refused outright…
		expect(await postForm(s.port, '/reset', `login=${resident.phone}`, { host: 'evil.example', origin: 'https://evil.example' })).toBe(403);
		// …and one that claims the real origin with a forged Host still gets a link to the real site.
		const status = await postForm(s.port, '/reset', `login=${resident.phone}`, {
			host: 'evil.example',
			origin: 'https://health.dongmen.example'
		});
		expect(status).toBe(200);
		const message = await messageTo(messages, resident.phone);
		expect(message.text).toContain('https://health.dongmen.example/reset/');
		expect(message.text).not.toContain('evil.example');
	});
});
