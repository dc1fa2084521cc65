/**
 * Every admin load and every admin action checks the role itself, before it touches anything
 * (STYLE.md §3): called directly — no hooks, no layout — with a resident or a community staff
 * member it answers 403, and without a user it sends to log-in. No database is open in this file,
 * so a route that reached for one before checking would fail with another error.
 */
import { isHttpError, isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import type { AuthUser } from '../../src/lib/server/auth/user';

type RouteModule = { load?: unknown; actions?: Record<string, unknown> };

const ROUTES: Record<string, () => Promise<RouteModule>> = {
	'/admin': () => import('../../src/routes/admin/+page.server'),
	'/admin/communities': () => import('../../src/routes/admin/communities/+page.server'),
	'/admin/communities/1': () => import('../../src/routes/admin/communities/[id]/+page.server'),
	'/admin/accounts': () => import('../../src/routes/admin/accounts/+page.server'),
	'/admin/accounts/1': () => import('../../src/routes/admin/accounts/[id]/+page.server'),
	'/admin/audit': () => import('../../src/routes/admin/audit/+page.server'),
	'/admin/outbox': () => import('../../src/routes/admin/outbox/+page.server')
};

function user(roles: AuthUser['roles']): AuthUser {
	return { accountId: 7, personId: 7, familyName: '王', givenName: '秀英', displayName: null, locale: 'zh-CN', largeText: false, roles };
}

const RESIDENT = user([{ role: 'resident', communityId: null }]);
const STAFF = user([
	{ role: 'resident', communityId: null },
	{ role: 'staff', communityId: 1 }
]);
const EVERYONE_BUT_ADMIN = user([
	{ role: 'resident', communityId: null },
	{ role: 'trainer', communityId: null },
	{ role: 'doctor', communityId: null },
	{ role: 'staff', communityId: null }
]);

function event(path: string, who: AuthUser | null, method: 'GET' | 'POST') {
	const url = new URL(`http://portal.test${path}`);
	const body = new URLSearchParams({
		code: 'x-ray',
		nameZh: '新',
		nameEn: 'New',
		role: 'admin',
		roleId: '1',
		id: '1',
		population: '1',
		effectiveFrom: '2026-01-01'
	});
	return {
		url,
		params: { id: '1' },
		locals: { user: who, session: null, locale: 'zh-CN', largeText: false, requestId: 'test' },
		request: new Request(
			url,
			method === 'POST' ? { method, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : undefined
		),
		cookies: { get: () => undefined },
		getClientAddress: () => '203.0.113.1'
	};
}

async function outcome(run: () => unknown): Promise<{ status: number; location?: string } | 'no-refusal'> {
	try {
		await run();
		return 'no-refusal';
	} catch (error) {
		if (isHttpError(error)) return { status: error.status };
		if (isRedirect(error)) return { status: error.status, location: error.location };
		throw error;
	}
}

async function everyEntryPoint() {
	const entries: { name: string; path: string; method: 'GET' | 'POST'; fn: (event: object) => unknown }[] = [];
	for (const [path, load] of Object.entries(ROUTES)) {
		const module = await load();
		if (typeof module.load === 'function')
			entries.push({ name: `load ${path}`, path, method: 'GET', fn: module.load as (e: object) => unknown });
		for (const [action, fn] of Object.entries(module.actions ?? {})) {
			entries.push({ name: `action ${path}?/${action}`, path, method: 'POST', fn: fn as (e: object) => unknown });
		}
	}
	return entries;
}

describe('the admin routes, called without hooks or layouts', () => {
	it('have a load and the expected actions', async () => {
		const names = (await everyEntryPoint()).map((e) => e.name);
		expect(names).toEqual(
			expect.arrayContaining([
				'load /admin',
				'action /admin/communities?/create',
				'action /admin/communities/1?/rename',
				'action /admin/communities/1?/population',
				'action /admin/accounts/1?/disable',
				'action /admin/accounts/1?/enable',
				'action /admin/accounts/1?/grant',
				'action /admin/accounts/1?/revoke',
				'action /admin/outbox?/retry'
			])
		);
		expect(names.filter((n) => n.startsWith('load '))).toHaveLength(Object.keys(ROUTES).length);
	});

	for (const [who, account] of [
		['a resident', RESIDENT],
		['community staff', STAFF],
		['someone with every role but admin', EVERYONE_BUT_ADMIN]
	] as const) {
		it(`answer ${who} with 403 in every load and every action`, async () => {
			for (const entry of await everyEntryPoint()) {
				expect(await outcome(() => entry.fn(event(entry.path, account, entry.method))), entry.name).toEqual({ status: 403 });
			}
		});
	}

	it('send someone who is not logged in to log-in, and back afterwards', async () => {
		for (const entry of await everyEntryPoint()) {
			const result = await outcome(() => entry.fn(event(entry.path, null, entry.method)));
			expect(result, entry.name).toEqual({ status: 303, location: `/login?next=${encodeURIComponent(entry.path)}` });
		}
	});
});
