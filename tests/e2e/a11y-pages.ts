/**
 * Every page of the portal for the accessibility audit (accessibility.spec.ts), read against
 * src/routes: a page there without an entry here fails the audit, so a new page is noticed.
 *
 * `path` is the address to open; a `[param]` is filled from the demo data by `find`: open `from`
 * as the same person and take the first link whose address matches `href` (the page's own
 * listing, so the ids are the ones that person may see). `extra` are further states of the same
 * page to audit: a form sent empty or wrong (its errors shown), a filter with no results.
 */
import fs from 'node:fs';
import path from 'node:path';

export type AuditRole = 'anonymous' | 'resident' | 'trainer' | 'doctor' | 'staff' | 'admin';
export const ALL_ROLES: AuditRole[] = ['anonymous', 'resident', 'trainer', 'doctor', 'staff', 'admin'];
const USERS: AuditRole[] = ['resident', 'trainer', 'doctor', 'staff', 'admin'];

/** A further state of a page: `submit` sends the form of <main> holding that button (its name, or a CSS selector), unchecked by the browser. */
export type PageState = { name: string; path?: string; submit?: RegExp | string };

export type AuditPage = {
	route: string;
	roles: AuditRole[];
	path?: string;
	find?: { from: string; href: RegExp; suffix?: string; then?: RegExp };
	/**
	 * The object belongs to the demo account of that role (its own appointment, own session…). The
	 * English audit logs in as fresh accounts (the demo accounts stay Chinese for the other
	 * journeys), which own nothing: such pages are audited in Chinese only (same markup).
	 */
	owned?: boolean;
	/**
	 * The demo data holds no such object for that person (a future appointment to move, a family
	 * member): audited on objects a fresh resident makes in the spec ("a fresh resident's own pages").
	 */
	madeInSpec?: boolean;
	extra?: PageState[];
	/** The answer expected when it is not 200 (see the course pages). */
	status?: number;
};

/**
 * Courses are edited by staff of all communities only; the demo staff account (and the audit's
 * fresh one) is limited to 东门社区, so these pages are audited as the 403 page they get. Auditing
 * the course form itself needs an all-communities staff account whose listings hold the demo
 * objects the other staff pages are found from: not done yet.
 */
const COURSES_FOR_ALL_COMMUNITIES = 403;

export const PAGES: AuditPage[] = [
	{ route: '/', roles: ALL_ROLES },
	{ route: '/privacy', roles: ALL_ROLES },
	{ route: '/doctors', roles: ALL_ROLES },
	{ route: '/doctors/[id]', roles: ALL_ROLES, find: { from: '/doctors', href: /^\/doctors\/\d+$/ } },
	{ route: '/doctors/[id]/book', roles: USERS, find: { from: '/doctors', href: /^\/doctors\/\d+$/, suffix: '/book' } },
	{ route: '/fitness', roles: ALL_ROLES },
	{ route: '/fitness/spaces/[id]', roles: ALL_ROLES, find: { from: '/fitness', href: /^\/fitness\/spaces\/\d+$/ } },
	{ route: '/fitness/checkin/[code]', roles: USERS, path: '/fitness/checkin/no-such-code' },
	{ route: '/training', roles: ALL_ROLES },
	{ route: '/occurrences/[id]', roles: USERS, find: { from: '/training', href: /^\/occurrences\/\d+$/ } },
	{ route: '/verify', roles: ALL_ROLES, extra: [{ name: 'unknown code', path: '/verify?code=ZZZZ-ZZZZ' }] },
	{ route: '/verify/[code]', roles: ALL_ROLES, path: '/verify/ZZZZZZZZ' },
	{ route: '/login', roles: ['anonymous'], extra: [{ name: 'sent empty', submit: /^(登录|Log in)$/ }] },
	{ route: '/register', roles: ['anonymous'], extra: [{ name: 'sent empty', submit: /^(注册|Register)$/ }] },
	{ route: '/reset', roles: ['anonymous'] },
	{ route: '/reset/[token]', roles: ['anonymous'], path: '/reset/not-a-valid-token' },
	{ route: '/account/deleted', roles: ['anonymous'] },
	{ route: '/preferences', roles: ALL_ROLES },
	{ route: '/logout', roles: USERS },
	{ route: '/logout/everywhere', roles: USERS },
	{ route: '/session', roles: USERS },
	{ route: '/account', roles: USERS },
	{ route: '/me/appointments', roles: USERS },
	{
		route: '/me/appointments/[id]',
		roles: ['resident'],
		owned: true,
		find: { from: '/me/appointments', href: /^\/me\/appointments\/\d+$/ }
	},
	{
		route: '/me/appointments/[id]/reschedule',
		roles: ['resident'],
		madeInSpec: true
	},
	{ route: '/me/certificates', roles: USERS },
	{
		route: '/me/certificates/[id]',
		roles: ['resident'],
		owned: true,
		find: { from: '/me/certificates', href: /^\/me\/certificates\/\d+$/ }
	},
	{ route: '/me/data', roles: USERS },
	{ route: '/me/household', roles: USERS },
	{ route: '/me/household/[id]', roles: ['resident'], madeInSpec: true },
	{ route: '/me/notifications', roles: USERS },
	{ route: '/me/offers/[id]', roles: ['resident'], path: '/me/offers/999999999' },
	{ route: '/me/reservations', roles: USERS },
	{
		route: '/me/reservations/[id]',
		roles: ['resident'],
		owned: true,
		find: { from: '/me/reservations', href: /^\/me\/reservations\/\d+$/ }
	},
	{ route: '/me/training', roles: USERS },
	{ route: '/doctor', roles: ['doctor'] },
	{ route: '/doctor/hours', roles: ['doctor'] },
	{ route: '/doctor/appointments/[id]/move', roles: ['doctor'], path: '/doctor/appointments/999999999/move' },
	{ route: '/trainer', roles: ['trainer'] },
	{ route: '/trainer/sessions/[id]', roles: ['trainer'], owned: true, find: { from: '/trainer', href: /^\/trainer\/sessions\/\d+$/ } },
	{
		route: '/trainer/sessions/[id]/certificates',
		roles: ['trainer'],
		owned: true,
		find: { from: '/trainer', href: /^\/trainer\/sessions\/\d+$/, suffix: '/certificates' }
	},
	{
		route: '/trainer/sessions/[id]/sheet',
		roles: ['trainer'],
		owned: true,
		find: { from: '/trainer', href: /^\/trainer\/sessions\/\d+$/, suffix: '/sheet' }
	},
	{
		route: '/trainer/sessions/[id]/trainees/[reservationId]',
		roles: ['trainer'],
		owned: true,
		find: { from: '/trainer', href: /^\/trainer\/sessions\/\d+$/, then: /^\/trainer\/sessions\/\d+\/trainees\/\d+$/ }
	},
	{ route: '/staff', roles: ['staff'] },
	{ route: '/staff/certificates', roles: ['staff'] },
	{
		route: '/staff/certificates/[id]',
		roles: ['staff'],
		find: { from: '/staff/certificates?q=13800000001', href: /^\/staff\/certificates\/\d+$/ }
	},
	{ route: '/staff/coverage', roles: ['staff'] },
	{ route: '/staff/doctors', roles: ['staff'] },
	{ route: '/staff/doctors/[id]', roles: ['staff'], find: { from: '/staff/doctors', href: /^\/staff\/doctors\/\d+$/ } },
	{ route: '/staff/fitness', roles: ['staff'] },
	{
		route: '/staff/fitness/series/[id]',
		roles: ['staff'],
		find: { from: '/staff/fitness', href: /^\/staff\/fitness\/spaces\/\d+$/, then: /^\/staff\/fitness\/series\/\d+$/ }
	},
	{
		route: '/staff/fitness/sessions/[id]',
		roles: ['staff'],
		find: { from: '/staff/fitness', href: /^\/staff\/fitness\/spaces\/\d+$/, then: /^\/staff\/fitness\/sessions\/\d+$/ }
	},
	{ route: '/staff/fitness/spaces/[id]', roles: ['staff'], find: { from: '/staff/fitness', href: /^\/staff\/fitness\/spaces\/\d+$/ } },
	{
		route: '/staff/fitness/spaces/[id]/poster',
		roles: ['staff'],
		find: { from: '/staff/fitness', href: /^\/staff\/fitness\/spaces\/\d+$/, suffix: '/poster' }
	},
	{
		route: '/staff/occurrences/[id]',
		roles: ['staff'],
		find: { from: '/staff/fitness', href: /^\/staff\/fitness\/spaces\/\d+$/, then: /^\/staff\/occurrences\/\d+$/ }
	},
	{ route: '/staff/people', roles: ['staff'], extra: [{ name: 'no match', path: '/staff/people?q=%E6%97%A0%E6%AD%A4%E4%BA%BAqqq' }] },
	{ route: '/staff/people/[id]', roles: ['staff'], find: { from: '/staff/people?q=13800000001', href: /^\/staff\/people\/\d+$/ } },
	{ route: '/staff/people/new', roles: ['staff'], extra: [{ name: 'sent empty', submit: /^(登记|Register)$/ }] },
	{ route: '/staff/training', roles: ['staff'] },
	{
		route: '/staff/training/courses/[id]',
		roles: ['staff'],
		status: COURSES_FOR_ALL_COMMUNITIES,
		// Not linked for community-limited staff: the demo's first course.
		path: '/staff/training/courses/1'
	},
	{ route: '/staff/training/courses/new', roles: ['staff'], status: COURSES_FOR_ALL_COMMUNITIES },
	{
		route: '/staff/training/sessions/[id]',
		roles: ['staff'],
		find: { from: '/staff/training', href: /^\/staff\/training\/sessions\/\d+$/ }
	},
	{ route: '/admin', roles: ['admin'] },
	{ route: '/admin/accounts', roles: ['admin'] },
	{ route: '/admin/accounts/[id]', roles: ['admin'], find: { from: '/admin/accounts?q=13800000001', href: /^\/admin\/accounts\/\d+$/ } },
	{ route: '/admin/audit', roles: ['admin'] },
	{ route: '/admin/communities', roles: ['admin'] },
	{ route: '/admin/communities/[id]', roles: ['admin'], find: { from: '/admin/communities', href: /^\/admin\/communities\/\d+$/ } },
	{ route: '/admin/merge', roles: ['admin'] },
	{ route: '/admin/outbox', roles: ['admin'] }
];

/** The route ids of every page in src/routes ('/doctors/[id]'), read from the files. */
export function routesInSource(root = path.resolve('src/routes')): string[] {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			if (entry.isDirectory()) walk(path.join(dir, entry.name));
			else if (entry.name === '+page.svelte') {
				const id = path
					.relative(root, dir)
					.split(path.sep)
					.filter((s) => !/^\(.*\)$/.test(s));
				found.push(`/${id.join('/')}`);
			}
		}
	};
	walk(root);
	return found.sort();
}
