/**
 * Every form action of the portal, read from the sources: the top-level keys of
 * `export const actions = { … }` in each `+page.server.ts` under src/routes. The fuzz test compares
 * this list with its own table, so a new action without a fuzz entry fails the test.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROUTES = path.resolve(import.meta.dirname, '..', '..', 'src', 'routes');

function pageServers(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return pageServers(full);
		return entry.name === '+page.server.ts' ? [full] : [];
	});
}

/** The keys at the top level of the object literal that starts at `open` (a `{`). */
function topLevelKeys(source: string, open: number): string[] {
	const keys: string[] = [];
	let depth = 0;
	let atKey = false;
	for (let i = open; i < source.length; i++) {
		const c = source[i]!;
		if (c === '/' && source[i + 1] === '/') i = source.indexOf('\n', i) - 1;
		else if (c === '/' && source[i + 1] === '*') i = source.indexOf('*/', i) + 1;
		else if (c === "'" || c === '"' || c === '`') {
			let j = i + 1;
			while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
			i = j;
		} else if (c === '{' || c === '(' || c === '[') {
			depth++;
			if (depth === 1) atKey = true;
		} else if (c === '}' || c === ')' || c === ']') {
			depth--;
			if (depth === 0) break;
		} else if (depth === 1 && c === ',') atKey = true;
		else if (depth === 1 && atKey && /\S/.test(c)) {
			const match = /^(?:async\s+)?([A-Za-z_$][\w$]*)/.exec(source.slice(i));
			if (match) {
				keys.push(match[1]!);
				i += match[0].length - 1;
			}
			atKey = false;
		}
	}
	return keys;
}

/** Route ids (as SvelteKit writes them, e.g. `/staff/fitness/series/[id]`) with their action names. */
export function formActions(): { route: string; action: string }[] {
	const found: { route: string; action: string }[] = [];
	for (const file of pageServers(ROUTES).sort()) {
		const source = fs.readFileSync(file, 'utf8');
		const match = /export const actions\b[^=]*=\s*\{/.exec(source);
		if (!match) continue;
		const route = '/' + path.relative(ROUTES, path.dirname(file)).split(path.sep).join('/');
		for (const action of topLevelKeys(source, match.index + match[0].length - 1))
			found.push({ route: route === '/' ? '/' : route, action });
	}
	return found;
}
