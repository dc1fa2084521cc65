import type { FieldError } from '$lib/forms';

/** "Try again in …": whole seconds under two minutes, else whole minutes. */
export function waitMessage(prefix: 'login.throttled' | 'register.throttled' | 'reset.throttled', ms: number): FieldError {
	const seconds = Math.max(1, Math.ceil(ms / 1000));
	return seconds < 120
		? { key: `${prefix}.seconds`, params: { n: seconds } }
		: { key: `${prefix}.minutes`, params: { n: Math.ceil(seconds / 60) } };
}
