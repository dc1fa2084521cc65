/**
 * Random and hostile values posted to every form action of staff and admins (see fuzz.ts for
 * the property and the knobs, table.ts for the actions and their fields).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeCases, entries, fuzzAction, postEdge, RUNS, SEED } from './fuzz';
import { FuzzPortal, type Role } from './world';

const ROLES: Role[] = ['staff', 'district', 'admin'];
let portal: FuzzPortal;
beforeAll(async () => {
	portal = await FuzzPortal.start();
	console.log(`fuzzing forms of ${ROLES.join(', ')}: ${RUNS} posts per action, seed ${SEED} (FUZZ_SEED=${SEED} replays)`);
}, 180_000);
afterAll(() => portal?.close());

describe('fuzzed forms of staff and admins', () => {
	for (const [key, entry] of entries((_, e) => ROLES.includes(e.as))) {
		it(`${key}: never a server error; a refusal says why and writes nothing`, () => fuzzAction(portal, key, entry), 300_000);
	}
	it('every date field refuses a day of a year no calendar counts (0001-01-01, 9999-12-31…) next to the field', async () => {
		let posted = 0;
		const failures: string[] = [];
		for (const [key, entry] of entries((_, e) => ROLES.includes(e.as))) {
			for (const edge of edgeCases(entry, portal)) {
				posted++;
				await postEdge(portal, key, entry, edge).catch((error: Error) => failures.push(error.message));
			}
		}
		expect(posted).toBeGreaterThan(0);
		expect(failures).toEqual([]);
	}, 300_000);
});
