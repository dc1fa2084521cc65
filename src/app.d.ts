// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quoted to support staff so they can find the log line; carries no personal data. */
			errorId?: string;
		}
		interface Locals {
			requestId: string;
			locale: 'zh-CN' | 'en';
		}
	}
}

export {};
