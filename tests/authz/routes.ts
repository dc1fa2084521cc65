/**
 * Every route of the portal as the file system declares it: pages (a `+page.svelte`), endpoints
 * (`+server.ts` and the HTTP methods they export) and form actions (the keys of
 * `export const actions = { … }` in a `+page.server.ts`, `default` included).
 */
import fs from 'node:fs';
import path from 'node:path';

export const ROUTES_DIR = path.resolve(import.meta.dirname, '..', '..', 'src', 'routes');

/** One thing that can be requested: `GET /me/appointments/[id]`, `POST /account?/profile`… */
export type Requestable = { route: string; method: string; action?: string };

export const keyOf = (r: Requestable) => (r.action ? `${r.route} ?/${r.action}` : `${r.method} ${r.route}`);

function walk(dir: string): string[] {
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** `/a/(group)/b/[id]` as SvelteKit's route id without groups: `/a/b/[id]`. */
function routeIdOf(dir: string): string {
	const parts = path
		.relative(ROUTES_DIR, dir)
		.split(path.sep)
		.filter((p) => p !== '' && !/^\(.*\)$/.test(p));
	return '/' + parts.join('/');
}

/** The keys of the object literal after `export const actions`, at its first level of nesting. */
export function actionNames(code: string): string[] {
	// Comments out first (a comment line before a key would hide it); `//` inside a URL string stays.
	const source = code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|\s)\/\/[^\n]*/g, '$1');
	const start = source.search(/export\s+const\s+actions\b[^=]*=\s*\{/);
	if (start < 0) return [];
	const open = source.indexOf('{', source.indexOf('=', start));
	const names: string[] = [];
	let depth = 0;
	let previous = ''; // the last character that was not white space, at depth 1
	for (let i = open; i < source.length; i++) {
		const c = source[i]!;
		if (/\s/.test(c)) continue;
		if (depth === 1 && (previous === '{' || previous === ',')) {
			const key = /^(?:'([^']+)'|"([^"]+)"|([A-Za-z_$][\w$]*))(?=\s*[:(,}])/.exec(source.slice(i));
			if (key) names.push(key[1] ?? key[2] ?? key[3]!);
		}
		if (c === '{' || c === '(' || c === '[') depth++;
		else if (c === '}' || c === ')' || c === ']') {
			depth--;
			if (depth === 0) break;
		}
		if (depth === 1) previous = c;
	}
	return [...new Set(names)];
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'fallback'];

export function endpointMethods(source: string): string[] {
	return METHODS.filter((m) => new RegExp(`export\\s+(?:const|(?:async\\s+)?function)\\s+${m}\\b`).test(source));
}

export function discoverRoutes(): Requestable[] {
	const found: Requestable[] = [];
	for (const file of walk(ROUTES_DIR).sort()) {
		const dir = path.dirname(file);
		const route = routeIdOf(dir);
		const name = path.basename(file);
		// A page is a `+page.svelte` or a server-only `+page.server.ts` (e.g. one that only redirects).
		const isPage = ['+page.svelte', '+page.server.ts', '+page.ts'].includes(name);
		if (isPage && !found.some((r) => r.route === route && r.method === 'GET' && !r.action)) found.push({ route, method: 'GET' });
		if (name === '+page.server.ts' || name === '+page.server.js') {
			for (const action of actionNames(fs.readFileSync(file, 'utf8'))) found.push({ route, method: 'POST', action });
		}
		if (name === '+server.ts' || name === '+server.js') {
			for (const method of endpointMethods(fs.readFileSync(file, 'utf8'))) found.push({ route, method });
		}
	}
	return found;
}
