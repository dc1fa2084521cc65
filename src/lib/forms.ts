/** What a form action hands back to its page when input is refused: message keys, never text. */
import type { MessageKey, Params } from '$lib/i18n';

export type FieldError = { key: MessageKey; params?: Params };
export type FieldErrors<F extends string = string> = Partial<Record<F, FieldError>>;
/** What the person typed, sent back so nothing is lost (passwords are never sent back). */
export type FormValues<F extends string = string> = Partial<Record<F, string>>;

/** The one shape every refused form action returns: a message for the form, per-field errors, values. */
export type Refusal<F extends string = string> = { message?: FieldError; errors?: FieldErrors<F>; values?: FormValues<F> };
