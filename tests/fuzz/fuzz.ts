/**
 * The property every form action must keep, whatever is posted to it: no 5xx; a refusal is a 4xx
 * that shows why (a message next to each refused field, or the form's own message, or the error
 * page); and on PostgreSQL, where the test reads the server's database while it runs, a refused
 * post leaves every table's row count as it was. (On PGlite the server owns its database, so there
 * the counts are not compared; CI runs this file on both.)
 *
 * FUZZ_RUNS sets the posts per action (default 6; CI's budget), FUZZ_SEED replays a failed run
 * (with `-t '<action>'` and FUZZ_PATH from the failure message), FUZZ_SHRINK=1 shrinks a failure.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { formActions } from './actions';
import { actionData, body, describe as show, fieldMessage, showsAlert } from './answer';
import { ACTIONS, strayFields, type Entry } from './table';
import type { Sent } from './values';
import type { FuzzPortal } from './world';

export const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
export const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2_147_483_647;

export const keyOf = (a: { route: string; action: string }) => `${a.route} ${a.action}`;

/** The table's entries in the order of src/routes, checked against it by the coverage test. */
export function entries(filter: (key: string, entry: Entry) => boolean): [string, Entry][] {
	return formActions()
		.map(keyOf)
		.filter((key) => ACTIONS[key] && filter(key, ACTIONS[key]))
		.map((key) => [key, ACTIONS[key]!]);
}

const diff = (before: Record<string, number>, after: Record<string, number>, allowed: string[]) =>
	Object.keys(after)
		.filter((t) => after[t] !== before[t] && !allowed.includes(t))
		.map((t) => `${t}: ${before[t]} → ${after[t]}`);

/** Posts one generated form and checks the answer; throws (with what was posted) when it is wrong. */
async function postOnce(portal: FuzzPortal, key: string, entry: Entry, form: [string, Sent][]): Promise<void> {
	const [route, action] = key.split(' ') as [string, string];
	void route;
	const path = entry.path(portal.world);
	const url = action === 'default' ? path : `${path}${path.includes('?') ? '&' : '?'}/${action}`;
	const before = await portal.counts();
	const response = await portal.clients[entry.as].post(url, body(form));
	const html = (response.headers.get('content-type') ?? '').includes('text/html') ? await response.text() : '';
	const where = `POST ${url} as ${entry.as}\n  ${show(form)}\n→ ${response.status}`;
	if (response.status >= 500)
		throw new Error(
			`${where}: a server error\n${html
				.replace(/<[^>]*>/g, ' ')
				.replace(/\s+/g, ' ')
				.slice(0, 400)}`
		);

	const data = html ? actionData(html) : null;
	const refused = response.status >= 400 || (data !== null && data.errors.length > 0);
	if (!refused) return;
	if (data) {
		// The page was re-rendered with the refusal: every refused field that the person can see says
		// why next to it; a refused hidden value (an id, a button's value) gets the form's own message.
		const answers = data.errors.map((field) => [field, fieldMessage(html, field)] as const);
		const missing = answers.filter(([, answer]) => answer === 'missing').map(([field]) => field);
		if (missing.length > 0) throw new Error(`${where}: the page shows no message next to the field(s) ${missing.join(', ')}`);
		const needsAlert = answers.length === 0 || answers.some(([, answer]) => answer === 'not-a-field');
		if (needsAlert && !showsAlert(html))
			throw new Error(`${where}: refused (${data.errors.join(', ') || 'no field'}), but the page says nothing about it`);
		if (response.status < 400) throw new Error(`${where}: a refusal answered with ${response.status}`);
	} else if (html && !/<h1[^>]*>[^<]+<\/h1>/.test(html)) {
		throw new Error(`${where}: an error page without a heading`);
	}
	if (before) {
		const changed = diff(before, (await portal.counts())!, entry.mayWrite ?? []);
		if (changed.length > 0) throw new Error(`${where}: refused, but rows changed (${changed.join(', ')})`);
	}
}

export async function fuzzAction(portal: FuzzPortal, key: string, entry: Entry): Promise<void> {
	const fields = entry.fields(portal.world);
	const form = fc
		.tuple(fc.tuple(...Object.entries(fields).map(([name, arb]) => arb.map((v): [string, Sent] => [name, v]))), strayFields)
		.map(([real, stray]) => [...real, ...stray] as [string, Sent][]);
	try {
		await fc.assert(
			fc.asyncProperty(form, (posted) => postOnce(portal, key, entry, posted)),
			{
				numRuns: RUNS,
				seed: SEED,
				path: process.env.FUZZ_PATH,
				endOnFailure: process.env.FUZZ_SHRINK !== '1'
			}
		);
	} catch (error) {
		// The whole chain of causes: a failed fetch says why only two levels down (the socket's error).
		const causes: string[] = [];
		for (let e: unknown = error; e instanceof Error && causes.length < 5; e = e.cause) {
			causes.push(`${e.message}${'code' in e && e.code ? ` (${String(e.code)})` : ''}`);
		}
		const message = causes.length ? causes.join('\n') : String(error);
		expect.fail(`${message}\n\nReplay: FUZZ_SEED=${SEED} npx vitest run tests/fuzz -t '${key}'`);
	}
}

/**
 * The edge pass: each edge value of a field (a date far outside the calendar years) posted with
 * every other field plausible, once each: refused with a message next to that field, never a 5xx.
 * Random posts reach these values too, but with everything else valid only now and then.
 */
export function edgeCases(entry: Entry, portal: FuzzPortal): { field: string; value: string; form: [string, Sent][] }[] {
	const fields = Object.entries(entry.fields(portal.world));
	const plausible = fields.map(([name, arb]): [string, Sent] => [
		name,
		fc.sample<Sent>(arb.plausible ?? arb, { seed: SEED, numRuns: 1 })[0]
	]);
	return fields.flatMap(([name, arb]) =>
		(arb.edges ?? []).map((value) => ({ field: name, value, form: plausible.map(([n, v]): [string, Sent] => [n, n === name ? value : v]) }))
	);
}

export async function postEdge(portal: FuzzPortal, key: string, entry: Entry, edge: { field: string; form: [string, Sent][] }) {
	const action = key.split(' ')[1]!;
	const path = entry.path(portal.world);
	const url = action === 'default' ? path : `${path}${path.includes('?') ? '&' : '?'}/${action}`;
	const response = await portal.clients[entry.as].post(url, body(edge.form));
	const html = await response.text();
	const where = `POST ${url} as ${entry.as}\n  ${show(edge.form)}\n→ ${response.status}`;
	expect(response.status, where).toBeLessThan(500);
	expect(actionData(html)?.errors ?? [], `${where}: ${edge.field} is not refused`).toContain(edge.field);
	expect(fieldMessage(html, edge.field), `${where}: no message next to ${edge.field}`).toBe('next-to-field');
}
