/**
 * The per-address limit of public look-ups, now one statement: `limit` look-ups in a window, then
 * refused with the time left until the window ends; refused ones do not move the last activity;
 * after the window the count starts again. An unknown code is logged with the neutral answer.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rateLimit } from '../../src/lib/server/auth/throttle';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { verifyByCode } from '../../src/lib/server/certificates/verify';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

let t: TestDatabase;
let clock: ReturnType<typeof fixedClock>;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
beforeEach(() => {
	clock = fixedClock('2026-03-02T01:00:00Z');
	setClock(clock);
});
afterEach(() => resetClock());

describe('the look-up limit', () => {
	it('allows the limit in a window, then refuses with the wait until the window ends', async () => {
		const key = 'verify:address:192.0.2.1';
		const answers = [];
		for (let i = 0; i < 3; i++) {
			answers.push(await rateLimit(t.db, key, 3, 60_000));
			clock.advance(10_000);
		}
		answers.push(await rateLimit(t.db, key, 3, 60_000));
		clock.advance(5_000);
		answers.push(await rateLimit(t.db, key, 3, 60_000));
		expect(answers).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: false, waitMs: 30_000 }, { ok: false, waitMs: 25_000 }]);
		const row = await t.db.selectFrom('throttle').select(['first_at', 'last_at']).where('key', '=', key).executeTakeFirstOrThrow();
		expect([row.first_at.toISOString(), row.last_at.toISOString()]).toEqual(['2026-03-02T01:00:00.000Z', '2026-03-02T01:00:20.000Z']);
		// Another address is counted on its own.
		expect(await rateLimit(t.db, 'verify:address:192.0.2.2', 3, 60_000)).toEqual({ ok: true });
		// The window is over 60 s after its first look-up: three more.
		clock.set('2026-03-02T01:01:00Z');
		for (let i = 0; i < 3; i++) expect(await rateLimit(t.db, key, 3, 60_000)).toEqual({ ok: true });
		expect(await rateLimit(t.db, key, 3, 60_000)).toEqual({ ok: false, waitMs: 60_000 });
	});

	it('logs an unknown code with the neutral answer and no certificate', async () => {
		const code = 'unknowncodeunknowncodeunknownco2';
		expect(await verifyByCode(t.db, code, 'en')).toEqual({ found: false, status: 'unknown' });
		expect(await verifyByCode(t.db, 'not a code', 'en')).toEqual({ found: false, status: 'unknown' });
		const logged = await t.db
			.selectFrom('certificate_lookup')
			.select(['at', 'method', 'query', 'result', 'certificate_id'])
			.orderBy('id')
			.execute();
		expect(logged).toEqual([
			{ at: new Date('2026-03-02T01:00:00Z'), method: 'code', query: code, result: 'unknown', certificate_id: null },
			{ at: new Date('2026-03-02T01:00:00Z'), method: 'code', query: 'not a code', result: 'unknown', certificate_id: null }
		]);
	});
});
