/** Random secrets for links (≥ 128 bits, URL- and QR-safe) and the hashes that are stored instead. */
import { createHash, randomBytes } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** 160 random bits as 32 lower-case base32 characters. */
export function randomSecret(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(20));
}

export function sha256(value: string): Buffer {
	return createHash('sha256').update(value).digest();
}

/** Whether a string could be one of our secrets at all (cheap guard before a database look-up). */
export function looksLikeSecret(value: string): boolean {
	return /^[a-z2-7]{32}$/.test(value);
}
