/**
 * What a staff member asks the participation pages for: a period of whole months and a community.
 * Staff limited to communities are always scoped to theirs; naming another one is refused, whether
 * in the dashboard's address or in an export's.
 */
import type { Kysely } from 'kysely';
import { scopeOf } from '../auth/roles';
import { today } from '../clock';
import { communityById } from '../communities';
import type { Database } from '../db/schema';
import type { Actor } from '../people/people';

export type Filters = {
	from: string; // 'YYYY-MM'
	to: string;
	/** The community asked for; null: every community the actor covers. */
	communityId: number | null;
	/** The communities counted: null means the whole district (no limit). */
	communities: number[] | null;
	communityCode: string;
};

export type FilterResult = { ok: true; filters: Filters } | { ok: false; reason: 'bad-request' | 'out-of-scope' };

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const MAX_MONTHS = 36;

export function monthOf(date: string): string {
	return date.slice(0, 7);
}

export function addMonths(month: string, n: number): string {
	const [y, m] = month.split('-').map(Number) as [number, number];
	const total = y * 12 + (m - 1) + n;
	return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
	const out: string[] = [];
	for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
	return out;
}

/** The last calendar day of a month. */
export function monthEnd(month: string): string {
	const [y, m] = month.split('-').map(Number) as [number, number];
	return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export function defaultPeriod(): { from: string; to: string } {
	const to = monthOf(today());
	return { from: addMonths(to, -11), to };
}

export async function readFilters(db: Kysely<Database>, actor: Actor, params: URLSearchParams): Promise<FilterResult> {
	const period = defaultPeriod();
	const from = params.get('from') || period.from;
	const to = params.get('to') || period.to;
	if (!MONTH_RE.test(from) || !MONTH_RE.test(to) || from > to || monthsBetween(from, to).length > MAX_MONTHS)
		return { ok: false, reason: 'bad-request' };
	const scope = scopeOf(actor.roles, 'staff');
	const asked = params.get('community');
	let communityId: number | null = null;
	if (asked && asked !== 'all') {
		if (!/^[1-9]\d{0,8}$/.test(asked)) return { ok: false, reason: 'bad-request' };
		communityId = Number(asked);
	} else if (scope !== 'all' && scope.length === 1) {
		communityId = scope[0]!;
	}
	if (communityId !== null && scope !== 'all' && !scope.includes(communityId)) return { ok: false, reason: 'out-of-scope' };
	if (scope !== 'all' && scope.length === 0) return { ok: false, reason: 'out-of-scope' };
	let communityCode = 'all';
	if (communityId !== null) {
		const row = await communityById(db, communityId);
		// An unknown community is refused like someone else's: nothing is learnt from the answer.
		if (!row) return { ok: false, reason: scope === 'all' ? 'bad-request' : 'out-of-scope' };
		communityCode = row.code;
	}
	const communities = communityId !== null ? [communityId] : scope === 'all' ? null : scope;
	return { ok: true, filters: { from, to, communityId, communities, communityCode } };
}

/** The same filters as a query string, for links and export addresses. */
export function filterQuery(f: Pick<Filters, 'from' | 'to' | 'communityId'>): string {
	const q = new URLSearchParams({ from: f.from, to: f.to, community: f.communityId === null ? 'all' : String(f.communityId) });
	return q.toString();
}
