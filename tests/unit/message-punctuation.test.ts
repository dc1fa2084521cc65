// Both catalogues read as written text: no doubled punctuation ("抱歉。。"), no full-width marks in
// English, and a parameter that ends in punctuation of its own (a doctor's note, a revocation
// reason) does not double the template's mark after it.
import { describe, expect, it } from 'vitest';
import { translate, type Locale, type MessageKey, type Params } from '../../src/lib/i18n';
import { en } from '../../src/lib/i18n/en';
import { zh } from '../../src/lib/i18n/zh';

const catalogues = { 'zh-CN': zh, en } as const;
const MARKS = '。！？；，、：.!?;,:';
// Two marks in a row, either script ("。。", "。.", "..", ",."); an ellipsis is written "…".
const DOUBLED = new RegExp(`[${MARKS}][${MARKS}]`);
// CJK punctuation and full-width forms (U+3000–U+303F, U+FF00–U+FFEF): "，", "。", "（", "：".
const FULL_WIDTH = /[\u3000-\u303f\uff00-\uffef]/;

function entries(locale: Locale): [MessageKey, string][] {
	return Object.entries(catalogues[locale]) as [MessageKey, string][];
}

function placeholders(template: string): string[] {
	return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

describe('the message catalogues', () => {
	it('never double a punctuation mark, in either language', () => {
		const doubled = (locale: Locale) => entries(locale).filter(([, text]) => DOUBLED.test(text));
		expect(doubled('zh-CN')).toEqual([]);
		expect(doubled('en')).toEqual([]);
	});

	it('use no full-width punctuation in English', () => {
		expect(entries('en').filter(([, text]) => FULL_WIDTH.test(text))).toEqual([]);
	});

	it('never double a mark where a parameter ends in punctuation of its own (a note, a reason), in either language', () => {
		// Staff and doctors type these in either language, whatever the reader's.
		for (const value of ['临时有事，抱歉。', '请改约！', 'Sorry for the trouble.', 'Wrong name;']) {
			for (const locale of ['zh-CN', 'en'] as const) {
				const doubled = entries(locale)
					.filter(([, template]) => placeholders(template).length > 0)
					.map(([key, template]) => {
						const params: Params = Object.fromEntries(placeholders(template).map((name) => [name, value]));
						return [key, translate(locale, key, params)] as const;
					})
					.filter(([, text]) => DOUBLED.test(text));
				expect(doubled, `${locale} with "${value}"`).toEqual([]);
			}
		}
	});

	it('say a doctor’s note that ends in a full stop once, and keep a note without one a sentence', () => {
		const notice = (locale: Locale, message: string) =>
			translate(locale, 'notify.doctor_cancelled.body', { doctor: '陈志明', studio: '东门工作室', when: '12月10日', message });
		expect(notice('zh-CN', '临时外出培训，抱歉。')).toContain('医生说明：临时外出培训，抱歉。请打开链接重新预约。');
		expect(notice('zh-CN', '临时外出培训')).toContain('医生说明：临时外出培训。请打开链接重新预约。');
		expect(notice('en', 'Away at a course, sorry.')).toContain('The doctor says: Away at a course, sorry. Open the link');
		expect(notice('en', 'Away at a course')).toContain('The doctor says: Away at a course. Open the link');
		const revoked = translate('zh-CN', 'notify.certificate_revoked.body', {
			title: '心肺复苏',
			number: 'DM-FA-2026-000123-K',
			reason: '姓名有误。'
		});
		expect(revoked).toContain('原因：姓名有误。如有疑问');
	});
});
