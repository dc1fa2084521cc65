// What the bench drives. Add a route here; `setup` may log in or create data first and return the headers/body to send.
import { certificateScenarios } from './certificates';
import { DEMO_RESIDENT, doctorScenarios } from './doctors';
import { loginCookie, type Portal } from './server';

export interface Target {
	/** At least this fraction of the requests per second of /livez in the same run. */
	minLivezRatio?: number;
	maxP95Ms?: number;
	maxP99Ms?: number;
}

export interface Scenario {
	name: string;
	method: 'GET' | 'POST';
	path: string;
	headers?: Record<string, string>;
	body?: string;
	/** Headers that change with every request (e.g. a different visitor address). */
	perRequestHeaders?: () => Record<string, string>;
	target?: Target;
	/** May also give the path to drive, when it depends on the data (e.g. a free slot's time). */
	setup?: (portal: Portal) => Promise<{ headers?: Record<string, string>; body?: string; path?: string }>;
}

/** The baseline every ratio is measured against: no database, no session, no rendering. */
export const LIVEZ = '/livez';

export const scenarios: Scenario[] = [
	{ name: 'liveness', method: 'GET', path: LIVEZ },
	// Target: the resident home page at least half the rps of /livez, p99 under 100 ms — as a
	// visitor sees it, and as the demo resident does, logged in (their next bookings, unread notices).
	{ name: 'home page', method: 'GET', path: '/', target: { minLivezRatio: 0.5, maxP99Ms: 100 } },
	{
		name: 'home page, resident',
		method: 'GET',
		path: '/',
		target: { minLivezRatio: 0.5, maxP99Ms: 100 },
		setup: async (portal) => ({ headers: { cookie: await loginCookie(portal, DEMO_RESIDENT) } })
	},
	// Target: the public timetable, same targets (demo data: three spaces, six weekly series).
	{ name: 'fitness timetable', method: 'GET', path: '/fitness', target: { minLivezRatio: 0.5, maxP99Ms: 100 } },
	...doctorScenarios,
	...certificateScenarios
];
