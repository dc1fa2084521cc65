/**
 * Reading the audit trail: newest first, a page at a time, filtered by action, actor, subject type
 * and a range of Shanghai calendar dates (both ends included).
 */
import { sql, type Kysely } from 'kysely';
import type { Locale } from '$lib/i18n';
import { addDays, shanghaiInstant } from '../clock';
import type { Database, JsonValue } from '../db/schema';

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilters = {
	action: string | null;
	actorAccountId: number | null;
	subjectType: string | null;
	/** 'YYYY-MM-DD' in Asia/Shanghai, from the start of `from` to the end of `to`. */
	from: string | null;
	to: string | null;
};

export type AuditRow = {
	id: number;
	at: Date;
	actorAccountId: number | null;
	actorName: string | null;
	action: string;
	subjectType: string;
	subjectId: string | null;
	community: string | null;
	details: JsonValue;
};

export async function auditPage(
	db: Kysely<Database>,
	filters: AuditFilters,
	page: number,
	locale: Locale
): Promise<{ rows: AuditRow[]; hasNext: boolean }> {
	let query = db
		.selectFrom('audit_log as a')
		.leftJoin('account as actor', 'actor.id', 'a.actor_account_id')
		.leftJoin('person as p', 'p.id', 'actor.person_id')
		.leftJoin('community as c', 'c.id', 'a.community_id')
		.select([
			'a.id',
			'a.at',
			'a.actor_account_id',
			'p.family_name',
			'p.given_name',
			'a.action',
			'a.subject_type',
			'a.subject_id',
			locale === 'en' ? 'c.name_en as community' : 'c.name_zh as community',
			'a.details'
		]);
	if (filters.action) query = query.where('a.action', '=', filters.action);
	if (filters.actorAccountId !== null) query = query.where('a.actor_account_id', '=', filters.actorAccountId);
	if (filters.subjectType) query = query.where('a.subject_type', '=', filters.subjectType);
	if (filters.from) query = query.where('a.at', '>=', shanghaiInstant(filters.from));
	if (filters.to) query = query.where('a.at', '<', shanghaiInstant(addDays(filters.to, 1)));
	const rows = await query
		.orderBy('a.at', 'desc')
		.orderBy('a.id', 'desc')
		.limit(AUDIT_PAGE_SIZE + 1)
		.offset((page - 1) * AUDIT_PAGE_SIZE)
		.execute();
	return {
		hasNext: rows.length > AUDIT_PAGE_SIZE,
		rows: rows.slice(0, AUDIT_PAGE_SIZE).map((r) => ({
			id: r.id,
			at: r.at,
			actorAccountId: r.actor_account_id,
			actorName: r.family_name !== null && r.given_name !== null ? `${r.family_name}${r.given_name}` : null,
			action: r.action,
			subjectType: r.subject_type,
			subjectId: r.subject_id,
			community: r.community,
			details: r.details
		}))
	};
}

/** The actions and subject types that occur in the log, for the filter's choices. */
export async function auditVocabulary(db: Kysely<Database>): Promise<{ actions: string[]; subjectTypes: string[] }> {
	return { actions: await distinctValues(db, 'action'), subjectTypes: await distinctValues(db, 'subject_type') };
}

/**
 * The distinct values of an indexed column in order, one index probe per value (a "loose index
 * scan"): a plain DISTINCT would read the whole log, which only grows.
 */
async function distinctValues(db: Kysely<Database>, column: 'action' | 'subject_type'): Promise<string[]> {
	const c = sql.ref(column);
	const result = await sql<{ v: string }>`
		WITH RECURSIVE t(v) AS (
			SELECT min(${c}) FROM audit_log
			UNION ALL
			SELECT (SELECT min(${c}) FROM audit_log WHERE ${c} > t.v) FROM t WHERE t.v IS NOT NULL
		)
		SELECT v FROM t WHERE v IS NOT NULL`.execute(db);
	return result.rows.map((r) => r.v);
}
