// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Locale } from '$lib/i18n';
import type { Session } from '$lib/server/auth/session';
import type { AuthUser } from '$lib/server/auth/user';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quoted to support staff so they can find the log line; carries no personal data. */
			errorId?: string;
			/** The database could not be reached: the page says so (HTTP 503), not "something went wrong". */
			unavailable?: boolean;
		}
		interface Locals {
			requestId: string;
			locale: Locale;
			largeText: boolean;
			user: AuthUser | null;
			session: Session | null;
			/** Set by handleError: the request failed because the database could not be reached. */
			databaseUnavailable?: boolean;
			/** The signed-in person's unread notices, counted with the session on GET requests. */
			unread?: number;
		}
		interface PageData {
			locale: Locale;
		}
	}
}

export {};
