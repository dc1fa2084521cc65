/**
 * The two message catalogues: the same keys and placeholders, nothing empty, and English that
 * contains no Chinese (except the switch back to Chinese, which must be in Chinese to be found).
 */
import { describe, expect, it } from 'vitest';
import { en } from '../../src/lib/i18n/en';
import { translate } from '../../src/lib/i18n';
import { zh } from '../../src/lib/i18n/zh';

const HAN_OR_CJK_PUNCTUATION = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
/** The language switch names the other language in that language. */
const LANGUAGE_SWITCH = ['prefs.switchTo', 'prefs.switchToLabel'];

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogues', () => {
	it('have exactly the same keys', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
		expect(Object.keys(zh).length).toBeGreaterThan(50);
	});

	it('use the same {placeholders} in both languages for every key', () => {
		const mismatched = Object.keys(zh)
			.filter(
				(key) => JSON.stringify(placeholders(zh[key as keyof typeof zh])) !== JSON.stringify(placeholders(en[key as keyof typeof en]))
			)
			.map((key) => `${key}: ${zh[key as keyof typeof zh]} / ${en[key as keyof typeof en]}`);
		expect(mismatched).toEqual([]);
	});

	it('have no empty message', () => {
		const empty = [...Object.entries(zh), ...Object.entries(en)].filter(([, message]) => message.trim() === '').map(([key]) => key);
		expect(empty).toEqual([]);
	});

	it('have no Chinese character in any English message but the switch to Chinese', () => {
		const chinese = Object.entries(en)
			.filter(([key, message]) => !LANGUAGE_SWITCH.includes(key) && HAN_OR_CJK_PUNCTUATION.test(message))
			.map(([key, message]) => `${key}: ${message}`);
		expect(chinese).toEqual([]);
		for (const key of LANGUAGE_SWITCH) expect(en[key as keyof typeof en]).toMatch(/^[^A-Za-z]*中文[^A-Za-z]*$/);
	});

	it('have Chinese in every Chinese message but the switch to English (nothing left untranslated)', () => {
		const untranslated = Object.entries(zh)
			.filter(([key, message]) => !LANGUAGE_SWITCH.includes(key) && !HAN_OR_CJK_PUNCTUATION.test(message))
			.map(([key, message]) => `${key}: ${message}`);
		expect(untranslated).toEqual([]);
	});

	it('fill placeholders with the values given, in either language', () => {
		expect(translate('zh-CN', 'error.tooLong', { max: 40 })).toBe('最多 40 个字符');
		expect(translate('en', 'error.tooLong', { max: 40 })).toBe('At most 40 characters');
		expect(translate('en', 'error.birthYear', { min: 1900, max: 2026 })).toBe('Enter a year between 1900 and 2026');
	});
});
