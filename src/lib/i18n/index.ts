/**
 * The portal's two languages. Simplified Chinese is the base catalogue; the English one must have
 * exactly the same keys (the type says so, and a test checks it at run time too). Messages take
 * `{name}` placeholders. Server code never returns display text: it returns message keys, and the
 * page renders them in the reader's language.
 */
import { en } from './en';
import { zh, type MessageKey } from './zh';

export type { MessageKey } from './zh';
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const catalogues: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function isMessageKey(value: unknown): value is MessageKey {
	return typeof value === 'string' && Object.hasOwn(zh, value);
}

export type Params = Record<string, string | number>;

// A placeholder and the punctuation mark the template puts right after it.
const PLACEHOLDER = /\{(\w+)\}([。！？；，、：.!?;,:]?)/g;
const ENDS_IN_PUNCTUATION = /[。．！？；，、：.!?;,:…]$/;

/**
 * The message with its parameters. A value that ends in punctuation of its own (a doctor's note
 * "临时有事，抱歉。", a revocation reason "Wrong name.") takes the place of the template's mark after
 * it, so that a notice never reads "抱歉。。" or "Wrong name.." in either language.
 */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
	const template = catalogues[locale][key];
	if (!params) return template;
	return template.replace(PLACEHOLDER, (whole, name: string, mark: string) => {
		if (!(name in params)) return whole;
		const value = String(params[name]);
		return mark && ENDS_IN_PUNCTUATION.test(value.trimEnd()) ? value.trimEnd() : value + mark;
	});
}

export type Translator = (key: MessageKey, params?: Params) => string;

export function translator(locale: Locale): Translator {
	return (key, params) => translate(locale, key, params);
}
