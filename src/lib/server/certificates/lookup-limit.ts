/** The per-address limit of public look-ups (trusted-proxy aware through adapter-node's ADDRESS_HEADER / XFF_DEPTH). */
import type { RequestEvent } from '@sveltejs/kit';
import { rateLimit } from '../auth/throttle';
import { config } from '../config';
import { db } from '../db';

export async function lookupAllowed(event: RequestEvent): Promise<{ ok: true } | { ok: false; seconds: number }> {
	const limited = await rateLimit(db(), `verify:address:${event.getClientAddress()}`, config().verificationsPerMinute, 60_000);
	return limited.ok ? { ok: true } : { ok: false, seconds: Math.max(1, Math.ceil(limited.waitMs / 1000)) };
}
