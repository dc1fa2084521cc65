/**
 * `t(key)` in components: the message in the language of the page being rendered. The root
 * layout's load puts the locale into `page.data`, so a language switch re-renders every text.
 */
import { page } from '$app/state';
import { DEFAULT_LOCALE, translate, type MessageKey, type Params } from './index';

export function t(key: MessageKey, params?: Params): string {
	return translate(page.data.locale ?? DEFAULT_LOCALE, key, params);
}
