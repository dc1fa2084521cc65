/**
 * The authorisation matrix (issue #12 item 3): every page, endpoint and form action found in
 * `src/routes`, requested as a visitor and as each role, must answer as matrix.ts says. A route
 * without an entry, or an entry for a route that is gone, fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Who } from './fixture';
import { ENDS_SESSIONS, MATRIX, type Entry, type Outcome } from './matrix';
import { clientsFor, inParallel, outcomeOf, startAuthzPortal, type Setup } from './probe';
import { actionNames, discoverRoutes, keyOf } from './routes';

let setup: Setup;
beforeAll(async () => {
	const started = await startAuthzPortal();
	setup = { ...started, clients: await clientsFor(started.portal.url) };
});
afterAll(() => setup?.portal.close());

function matches(expected: Outcome, actual: ReturnType<typeof outcomeOf>, isAction: boolean): boolean {
	if (expected === 'ok') {
		if (!isAction) return actual === 200;
		// The action ran: any answer but a refusal or a server error.
		return actual !== 'login' && actual !== 403 && actual !== 404 && (typeof actual === 'object' || actual < 500);
	}
	if (typeof expected === 'object') return typeof actual === 'object' && actual.to === expected.to;
	return actual === expected;
}

const show = (o: Outcome | ReturnType<typeof outcomeOf>) => (typeof o === 'object' ? `→ ${o.to}` : String(o));

/** Requests `key` as every role; returns the lines that differ from the table. */
async function probe(key: string, entry: Entry, roles: readonly Who[] = ROLES): Promise<string[]> {
	const isAction = key.includes(' ?/');
	const path = entry.path(setup.fixture);
	const lines: string[] = [];
	await Promise.all(
		roles.map(async (who) => {
			const client = setup.clients[who];
			const response = isAction ? await client.post(path, entry.form?.(setup.fixture) ?? {}) : await client.get(path);
			await response.arrayBuffer();
			const actual = outcomeOf(response);
			if (!matches(entry.expect[who], actual, isAction))
				lines.push(`${key} as ${who}: expected ${show(entry.expect[who])}, got ${show(actual)}`);
		})
	);
	return lines;
}

describe('the authorisation matrix', () => {
	it('has one entry for every page, endpoint and form action, and none for what is gone', () => {
		const found = discoverRoutes().map(keyOf);
		const written = Object.keys(MATRIX);
		expect(found.length).toBeGreaterThan(100);
		expect(
			found.filter((k) => !written.includes(k)),
			'routes or actions without a matrix entry (add them to tests/authz/matrix.ts)'
		).toEqual([]);
		expect(
			written.filter((k) => !found.includes(k)),
			'matrix entries naming routes or actions that no longer exist'
		).toEqual([]);
	});

	it('reads action names past comments, shorthand keys and nested objects', () => {
		const source = `export const actions: Actions = {
			// staff at the door
			admit: async (event) => { const x = { notAnAction: 1 }; return fail(400, { y: [1, { z: 2 }] }); },
			/* a block comment: fake: */ 'quoted-name': async () => {},
			default: handler,
			shorthand
		};`;
		expect(actionNames(source)).toEqual(['admit', 'quoted-name', 'default', 'shorthand']);
	});

	it('answers every page and endpoint as the table says, for visitors and each role', async () => {
		const gets = Object.entries(MATRIX).filter(([key]) => !key.includes(' ?/'));
		const lines = (
			await inParallel(
				gets.map(
					([key, entry]) =>
						() =>
							probe(key, entry)
				),
				3
			)
		).flat();
		expect(lines).toEqual([]);
	});

	it('runs every form action only for whom the table allows (an empty form, a valid Origin)', async () => {
		const posts = Object.entries(MATRIX).filter(([key]) => key.includes(' ?/') && !ENDS_SESSIONS.has(key));
		const lines = (
			await inParallel(
				posts.map(
					([key, entry]) =>
						() =>
							probe(key, entry)
				),
				3
			)
		).flat();
		// Log-out last: it ends the sessions the other requests use.
		for (const key of ENDS_SESSIONS) lines.push(...(await probe(key, MATRIX[key]!)));
		expect(lines).toEqual([]);
	});
});
