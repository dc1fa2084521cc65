/**
 * The fuzz table covers every form action in src/routes: a new action without an entry in
 * tests/fuzz/table.ts fails here, and so does an entry for an action that is gone.
 */
import { describe, expect, it } from 'vitest';
import { formActions } from './actions';
import { keyOf } from './fuzz';
import { ACTIONS } from './table';

describe('the fuzz table', () => {
	it('has an entry for every form action of the portal, and none for actions that are gone', () => {
		const actions = formActions().map(keyOf);
		expect(actions.length).toBeGreaterThan(80);
		expect(actions.filter((a) => !(a in ACTIONS))).toEqual([]);
		expect(Object.keys(ACTIONS).filter((a) => !actions.includes(a))).toEqual([]);
	});

	it('reads the actions of a page with several, and the default one', () => {
		const actions = formActions().map(keyOf);
		expect(actions).toEqual(
			expect.arrayContaining(['/login default', '/account profile', '/account password', '/staff/fitness/spaces/[id] close'])
		);
	});
});
