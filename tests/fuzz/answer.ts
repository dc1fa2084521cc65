/**
 * Reading a form action's answer as a browser without JavaScript gets it: the status, and on a
 * re-rendered page the action's data (SvelteKit serialises it into the page as `form: {…}`) and
 * the messages the page shows for it.
 */
import type { Sent } from './values';

/** The text of the value that starts at `open` (an object literal), with the spans of its top-level entries. */
function entries(source: string, open: number): { end: number; keys: Map<string, [number, number]> } {
	const keys = new Map<string, [number, number]>();
	let depth = 0;
	let key: string | null = null;
	let valueStart = -1;
	let expectKey = true;
	for (let i = open; i < source.length; i++) {
		const c = source[i]!;
		if (c === '"' || c === "'" || c === '`') {
			let j = i + 1;
			while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
			if (depth === 1 && expectKey) key = JSON.parse(`"${source.slice(i + 1, j).replace(/\\'/g, "'")}"`) as string;
			i = j;
		} else if (c === '{' || c === '[' || c === '(') depth++;
		else if (c === '}' || c === ']' || c === ')') {
			if (depth === 1 && key !== null) keys.set(key, [valueStart, i]);
			depth--;
			if (depth === 0) return { end: i + 1, keys };
		} else if (depth === 1 && c === ':' && expectKey) {
			expectKey = false;
			valueStart = i + 1;
		} else if (depth === 1 && c === ',') {
			if (key !== null) keys.set(key, [valueStart, i]);
			key = null;
			expectKey = true;
		} else if (depth === 1 && expectKey && /[A-Za-z_$]/.test(c) && key === null) {
			const match = /^[A-Za-z_$][\w$]*/.exec(source.slice(i))!;
			key = match[0];
			i += match[0].length - 1;
		}
	}
	throw new Error('Unterminated object in the page data');
}

export type ActionData = { errors: string[]; message: boolean } | null;

/**
 * The action data the page was rendered with (`form: {…}` in the hydration script), or null. A page
 * with several forms gives each its own keys (`doctorErrors`, `doctorMessage` next to `errors` and
 * `message`): the refused fields and the message of all of them count.
 */
export function actionData(html: string): ActionData {
	// The hydration script comes last; a value typed into the page can never start it.
	const script = html.lastIndexOf('<script');
	const found = script < 0 ? -1 : html.slice(script).search(/\bform: ?\{/);
	if (found < 0) return null;
	const at = script + found;
	const open = html.indexOf('{', at);
	const { keys } = entries(html, open);
	const errors: string[] = [];
	let message = false;
	for (const [key, [start, end]] of keys) {
		const value = html.slice(start, end);
		if (/^\s*(void 0|null)\s*$/.test(value)) continue;
		if (key === 'message' || /^[a-z]+Message$/.test(key)) message = true;
		if (key !== 'errors' && !/^[a-z]+Errors$/.test(key)) continue;
		const errorsOpen = html.indexOf('{', start);
		if (errorsOpen >= 0 && errorsOpen < end) errors.push(...entries(html, errorsOpen).keys.keys());
	}
	return { errors, message };
}

const stripComments = (html: string) => html.replace(/<!--[\s\S]*?-->/g, '');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * How the page answers a refused field: 'next-to-field' when a control the person can change
 * (an input, select or textarea that is not hidden) points through aria-describedby at a non-empty
 * error message; 'not-a-field' when the field is no visible control (a hidden id, a button);
 * 'missing' when a visible control has no message.
 */
export function fieldMessage(html: string, field: string): 'next-to-field' | 'not-a-field' | 'missing' {
	const page = stripComments(html);
	// Inside a tag, a quoted value may hold '>' (the posted value shown again, e.g. `"><img …>`).
	const inTag = `(?:[^>"]|"[^"]*")*`;
	const controls = [...page.matchAll(new RegExp(`<(input|select|textarea)\\b${inTag}\\bname="${escape(field)}"${inTag}>`, 'g'))].filter(
		(m) => !/\btype="hidden"/.test(m[0])
	);
	if (controls.length === 0) return 'not-a-field';
	for (const control of controls) {
		// A radio group is described by its fieldset.
		const fieldsetAt = page.lastIndexOf('<fieldset', control.index);
		const fieldset =
			fieldsetAt > page.lastIndexOf('</fieldset>', control.index) ? page.slice(fieldsetAt, page.indexOf('>', fieldsetAt)) : '';
		const describedBy = [control[0], fieldset].flatMap((tag) => /aria-describedby="([^"]*)"/.exec(tag)?.[1]?.split(/\s+/) ?? []);
		for (const id of describedBy) {
			const element = new RegExp(`<([a-z]+)${inTag}\\bid="${escape(id)}"${inTag}>([\\s\\S]*?)</\\1>`).exec(page);
			if (!element) continue;
			const isError = /class="[^"]*\berror\b/.test(element[0]) || id.endsWith('-error');
			if (isError && element[2]!.replace(/<[^>]*>/g, '').trim() !== '') return 'next-to-field';
		}
	}
	return 'missing';
}

/** Whether the page shows the form's own message (the summary of FormMessage, role="alert"). */
export function showsAlert(html: string): boolean {
	return /role="alert"[^>]*>\s*[^<\s]/.test(stripComments(html));
}

/** What was posted, printable in a failure message (long values cut). */
export function describe(form: [string, Sent][]): string {
	const cut = (s: string) => (s.length > 60 ? `${JSON.stringify(s.slice(0, 60))}… (${[...s].length} chars)` : JSON.stringify(s));
	return form
		.map(
			([k, v]) =>
				`${k}=${v === undefined ? '(left out)' : typeof v === 'string' ? cut(v) : Array.isArray(v) ? `[${v.map(cut).join(', ')}]` : `file ${cut(v.file)}`}`
		)
		.join('\n  ');
}

export function body(form: [string, Sent][]): URLSearchParams | FormData {
	const files = form.some(([, v]) => typeof v === 'object' && !Array.isArray(v));
	const out = files ? new FormData() : new URLSearchParams();
	for (const [name, value] of form) {
		if (value === undefined) continue;
		if (typeof value === 'string') out.append(name, value);
		else if (Array.isArray(value)) for (const v of value) out.append(name, v);
		else (out as FormData).append(name, new Blob([value.file], { type: 'text/csv' }), 'roster.csv');
	}
	return out;
}
