/**
 * Passwords: argon2id (OWASP's parameters: 19 MiB, 2 passes), at least 8 characters, no
 * composition rules, the commonest passwords refused from a committed list.
 */
import { hash, verify } from '@node-rs/argon2';
import type { MessageKey } from '$lib/i18n';
import commonList from './common-passwords.txt?raw';

// algorithm 2 is Algorithm.Argon2id (a const enum, which isolated modules cannot read).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

const COMMON = new Set(
	commonList
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line && !line.startsWith('#'))
);

// Verified against when no account matches, so that a miss costs as long as a wrong password.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$wGOCTJfmOttwLMnCBWJikg$eLFaEto90mtIo0W30g2lkzuLk87n6EabLxCydKTpCWM';

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
	if (!passwordHash) {
		await verify(DUMMY_HASH, password).catch(() => false);
		return false;
	}
	return verify(passwordHash, password).catch(() => false);
}

function isSequence(password: string): boolean {
	if (new Set(password).size === 1) return true;
	const codes = [...password].map((c) => c.codePointAt(0)!);
	const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]!));
	return steps.size === 1 && [1, -1].includes([...steps][0]!);
}

/** A reason to refuse a new password, or null. Length is checked by the form schema. */
export function passwordProblem(password: string, logins: (string | null | undefined)[] = []): MessageKey | null {
	const lower = password.toLowerCase();
	if (COMMON.has(lower) || isSequence(lower)) return 'error.passwordCommon';
	if (logins.some((login) => login && lower === login.toLowerCase())) return 'error.passwordSameAsLogin';
	return null;
}
