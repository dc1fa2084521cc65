/**
 * A post answered before its body was read (an action that refuses first, the staff area turning a
 * visitor away) must leave the keep-alive connection usable. SvelteKit's Node adapter pauses an
 * unread body after its first chunk and never resumes it (sveltejs/kit#14916): the next request on
 * that connection used to wait for the keep-alive timeout (5 s) and was then reset.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/lib/server/demo/seed';
import { createPostgresDatabase, onPostgres } from '../helpers/db';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

let server: ServerProcess;
let staffCookie: string;

beforeAll(async () => {
	const env = { DEMO: '1', WORKER_INTERVAL_SECONDS: '0' };
	server = onPostgres() ? await startServer({ databaseUrl: (await createPostgresDatabase()).url, env }) : await startServer({ env });
	// The demo staff member looks after one community: the course forms (all communities) refuse them.
	const staff = new Client(server.url);
	const phone = DEMO_ACCOUNTS.find((a) => a.roles.some((r) => r.role === 'staff'))!.phone;
	expect((await staff.login(phone, DEMO_PASSWORD)).status).toBe(303);
	staffCookie = [...staff.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
});
afterAll(() => server?.stop());

/** A form of about 256 KB (under BODY_SIZE_LIMIT), as raw bytes with its content type. */
async function bigForm(multipart: boolean): Promise<{ type: string; bytes: Buffer }> {
	const fields = { code: 'FUZZ-1', titleZh: '心肺复苏', descriptionEn: 'x'.repeat(256 * 1024) };
	const body = multipart ? new FormData() : new URLSearchParams();
	for (const [name, value] of Object.entries(fields)) body.append(name, value);
	const request = new Request('http://localhost/', { method: 'POST', body });
	return { type: request.headers.get('content-type')!, bytes: Buffer.from(await request.arrayBuffer()) };
}

/**
 * Posts on a fresh connection; once the answer's head has come, asks for /livez on the same
 * connection. Resolves with everything the server sent within `ms`.
 */
async function postThenLivez(path: string, form: { type: string; bytes: Buffer }, cookie: string, ms: number): Promise<string> {
	const { hostname, port, origin } = new URL(server.url);
	const socket = net.connect(Number(port), hostname);
	socket.on('error', () => {}); // a reset shows as a missing second answer
	let received = '';
	let asked = false;
	socket.on('data', (chunk: Buffer) => {
		received += chunk.toString('latin1');
		if (!asked && received.includes('\r\n\r\n')) {
			asked = true;
			socket.write(`GET /livez HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`);
		}
	});
	const head =
		`POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${origin}\r\nAccept: text/html\r\n` +
		`Content-Type: ${form.type}\r\nContent-Length: ${form.bytes.length}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n`;
	socket.write(Buffer.concat([Buffer.from(head, 'latin1'), form.bytes]));
	await new Promise<void>((resolve) => {
		const timer = setTimeout(resolve, ms);
		socket.once('close', () => {
			clearTimeout(timer);
			resolve();
		});
	});
	socket.destroy();
	return received;
}

describe('a post answered without reading its body', () => {
	// The course form refuses the demo staff before reading it, and the staff area refuses a visitor.
	const cases = [
		{ what: 'an action that refuses first (multipart form)', as: 'staff', multipart: true, answer: 'HTTP/1.1 403' },
		{ what: 'an action that refuses first (url-encoded form)', as: 'staff', multipart: false, answer: 'HTTP/1.1 403' },
		{ what: 'the staff area sending a visitor to log in', as: 'visitor', multipart: true, answer: 'HTTP/1.1 303' }
	] as const;

	for (const c of cases) {
		it(`leaves the connection usable: ${c.what}`, async () => {
			const cookie = c.as === 'staff' ? staffCookie : '';
			const received = await postThenLivez('/staff/training/courses/new', await bigForm(c.multipart), cookie, 3_000);
			const answers = received.match(/^HTTP\/1\.1 \d{3}/gm) ?? [];
			expect(answers[0]).toBe(c.answer);
			// Well before the server's keep-alive timeout (5 s) would have closed the connection.
			expect(answers[1]).toBe('HTTP/1.1 200');
			expect(received.slice(received.lastIndexOf('HTTP/1.1 '))).toMatch(/\r\n\r\n(?:3\r\n)?ok\n/);
		});
	}
});
