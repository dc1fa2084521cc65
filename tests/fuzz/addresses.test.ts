/**
 * Hostile addresses. Looking never changes anything, so the property is simpler than for actions:
 * never a server error.
 * - Every page with a GET form (searches, filters, pickers) gets random and hostile values in its
 *   query; a search text the portal cannot search for (control characters) is answered next to the
 *   field. A page with a GET form but no entry here fails the test.
 * - Every route with a parameter in its path (`[id]`, `[code]`, …), found in src/routes, is asked
 *   with numbers past PostgreSQL's integer, signs, fractions, control characters and long strings,
 *   by a visitor and by each role.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/lib/i18n';
import { RUNS, SEED } from './fuzz';
import { hostile } from './values';
import { FuzzPortal, type Role, type World } from './world';

type Search = {
	/** The Svelte file holding the GET form(s). */
	file: string;
	as: Role;
	path: (w: World) => string;
	/** Every parameter the page reads from its address. */
	params: string[];
	/** Free-text search fields: a refused value is shown next to the field. */
	texts?: string[];
};

const SEARCHES: Search[] = [
	{ file: 'fitness/+page.svelte', as: 'visitor', path: () => '/fitness', params: ['week', 'space', 'community'] },
	{ file: 'training/+page.svelte', as: 'visitor', path: () => '/training', params: ['course', 'community'] },
	{ file: 'staff/people/+page.svelte', as: 'staff', path: () => '/staff/people', params: ['q'], texts: ['q'] },
	{ file: 'staff/certificates/+page.svelte', as: 'staff', path: () => '/staff/certificates', params: ['q'], texts: ['q'] },
	{ file: 'staff/people/[id]/+page.svelte', as: 'staff', path: (w) => `/staff/people/${w.walkIn}`, params: ['doctor', 'day', 'account'] },
	{ file: 'staff/FilterForm.svelte', as: 'staff', path: () => '/staff', params: ['from', 'to', 'community', 'monthly'] },
	{ file: 'staff/FilterForm.svelte', as: 'admin', path: () => '/staff/coverage', params: ['from', 'to', 'community', 'expiring'] },
	{ file: 'admin/accounts/+page.svelte', as: 'admin', path: () => '/admin/accounts', params: ['q'], texts: ['q'] },
	{ file: 'admin/audit/+page.svelte', as: 'admin', path: () => '/admin/audit', params: ['action', 'actor', 'subject', 'from', 'to'] },
	{ file: 'admin/merge/+page.svelte', as: 'admin', path: () => '/admin/merge', params: ['q', 'keep', 'drop'], texts: ['q'] }
];

const ROUTES = path.resolve('src/routes');
// eslint-disable-next-line no-control-regex -- control characters are what the search refuses
const UNSEARCHABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function getForms(dir = ROUTES): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		if (e.isDirectory()) return getForms(full);
		return e.name.endsWith('.svelte') && /<form[^>]*method="get"/i.test(fs.readFileSync(full, 'utf8')) ? [path.relative(ROUTES, full)] : [];
	});
}

/** Every route with a parameter in its path, as written in src/routes ('/doctors/[id]/book'). */
function parameterRoutes(dir = ROUTES): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		if (e.isDirectory()) return parameterRoutes(full);
		const route = '/' + path.relative(ROUTES, dir).split(path.sep).join('/');
		return /^\+(page|server)\.(ts|svelte)$/.test(e.name) && route.includes('[') ? [route] : [];
	});
}

const ODD_PARAMS = [
	'2147483648',
	'9999999999999999',
	'99999999999999999999',
	'0',
	'-1',
	'1.5',
	'1e3',
	'%00',
	'%E2%80%A8',
	'%F0%9F%98%80',
	'x'.repeat(300),
	'9999-12-31',
	'..%2F..%2Fetc',
	// Names every JavaScript object has: a look-up by the address must not find them.
	'constructor',
	'__proto__',
	'toString'
];
const ROLES: Role[] = ['visitor', 'resident', 'trainer', 'doctor', 'staff', 'admin'];

it('has an entry for every page with a GET form', () => {
	expect(getForms().sort()).toEqual([...new Set(SEARCHES.map((s) => s.file))].sort());
});

let portal: FuzzPortal;
beforeAll(async () => {
	portal = await FuzzPortal.start();
	console.log(`fuzzing GET forms: ${RUNS} addresses per page, seed ${SEED} (FUZZ_SEED=${SEED} replays)`);
}, 180_000);
afterAll(() => portal?.close());

describe('hostile addresses of pages with GET forms', () => {
	for (const search of SEARCHES) {
		it(`${search.path({ walkIn: 0 } as World)} as ${search.as}: never a server error; a refused search text is answered at the field`, async () => {
			const values = fc.record(Object.fromEntries(search.params.map((p) => [p, fc.option(hostile(), { nil: undefined })])));
			await fc.assert(
				fc.asyncProperty(values, async (asked) => {
					const query = new URLSearchParams();
					for (const [name, value] of Object.entries(asked)) if (value !== undefined) query.append(name, value);
					const url = `${search.path(portal.world)}?${query}`;
					const response = await portal.clients[search.as].get(url);
					const html = await response.text();
					expect(response.status, `GET ${url}`).toBeLessThan(500);
					for (const name of search.texts ?? []) {
						const value = asked[name];
						if (value === undefined || !UNSEARCHABLE.test(value)) continue;
						// The message next to the field, described by it, in the page's language (Chinese by default).
						expect(html, `GET ${url}`).toContain(translate('zh-CN', 'error.controlChars'));
						expect(html, `GET ${url}`).toMatch(new RegExp(`<input[^>]*name="${name}"[^>]*aria-invalid="true"`));
					}
				}),
				{ numRuns: RUNS * 4, seed: SEED }
			);
		}, 300_000);
	}
});

describe('odd values in every route parameter', () => {
	for (const route of [...new Set(parameterRoutes())].sort()) {
		it(`${route}: never a server error, for anyone`, async () => {
			const failures: string[] = [];
			for (const as of ROLES)
				for (const value of ODD_PARAMS) {
					const url = route.replace(/\[[^\]]+\]/g, value);
					const response = await portal.clients[as].get(url);
					await response.arrayBuffer();
					if (response.status >= 500) failures.push(`GET ${url} as ${as} → ${response.status}`);
				}
			expect(failures).toEqual([]);
		}, 120_000);
	}
});
