/**
 * What an error answer says in its `message` (the JSON that enhanced forms and data requests read;
 * the error page shows its own text per status). A refusal names what is wrong — SvelteKit's own
 * words for a 4xx ("Method Not Allowed"), both languages for a form sent in a format no form uses;
 * a 5xx never says more than "Internal error".
 */
import { translate } from '$lib/i18n';

export function publicErrorMessage(status: number, message: string): string {
	if (status === 404) return 'Not found';
	if (status === 415) return `${translate('zh-CN', 'error.page.unsupported.text')} / ${translate('en', 'error.page.unsupported.text')}`;
	return status < 500 ? message : 'Internal error';
}
