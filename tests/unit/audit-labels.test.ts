// The audit log names every action and subject in words, in both languages: an area that starts
// auditing a new action without words for it fails here (the page would show the bare code).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/lib/i18n/en';
import { zh } from '../../src/lib/i18n/zh';

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sources(full);
		return /\.(ts|svelte)$/.test(entry.name) && !full.includes(`${path.sep}i18n${path.sep}`) ? [full] : [];
	});
}

const text = sources(path.resolve(__dirname, '../../src')).map((file) => fs.readFileSync(file, 'utf8'));
const found = (pattern: RegExp) => [...new Set(text.flatMap((t) => [...t.matchAll(pattern)].map((m) => m[1]!)))].sort();
// Audit entries are written as object literals: `action: 'area.verb'`, `subjectType: 'table'`.
const actions = found(/\baction: '([a-z_]+\.[a-z_]+)'/g);
const subjects = found(/\bsubjectType: '([a-z_]+)'/g);

describe('audit log words', () => {
	it('finds the audited actions and subjects in the source', () => {
		// A guard on the scan itself: these are audited today; if the pattern stopped matching, all would pass.
		expect(actions).toEqual(expect.arrayContaining(['account.register', 'certificate.revoke', 'person.merge']));
		expect(subjects).toEqual(expect.arrayContaining(['account', 'person', 'occurrence']));
	});

	it.each(actions)('action %s has words in Chinese and English', (action) => {
		const key = `admin.action.${action}`;
		expect(zh).toHaveProperty([key]);
		expect(en).toHaveProperty([key]);
	});

	it.each(subjects)('subject %s has words in Chinese and English', (subject) => {
		const key = `admin.subject.${subject}`;
		expect(zh).toHaveProperty([key]);
		expect(en).toHaveProperty([key]);
	});
});
