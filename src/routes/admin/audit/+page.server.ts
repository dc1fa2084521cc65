import { auditPage, auditVocabulary, type AuditFilters } from '$lib/server/admin/audit-log';
import { optionalDate } from '$lib/server/admin/fields';
import { shanghaiDateTime } from '$lib/server/admin/format';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { fields, parseForm, readQuery } from '$lib/server/forms';
import type { JsonValue } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

const schema = {
	action: fields.optionalText({ max: 100 }),
	actor: fields.optionalInteger(1, 999_999_999_999, 'admin.error.actor'),
	subject: fields.optionalText({ max: 100 }),
	from: optionalDate(),
	to: optionalDate()
};
// Only the page links set it: a page number that makes no sense shows the first page.
const pageSchema = { page: fields.optionalInteger(1, 1_000_000, 'error.notText') };

/** Details as "key: value" pairs; nested values as compact JSON. */
function detailPairs(details: JsonValue): [string, string][] {
	if (details === null || typeof details !== 'object' || Array.isArray(details))
		return details === null ? [] : [['', JSON.stringify(details)]];
	return Object.entries(details).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
}

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const vocabulary = await auditVocabulary(db());
	const query = readQuery(event.url);
	const parsed = parseForm(schema, query);
	const pageParsed = parseForm(pageSchema, query);
	const page = (pageParsed.ok && pageParsed.data.page) || 1;
	const errors = parsed.ok ? {} : { ...parsed.errors };
	if (parsed.ok && parsed.data.from && parsed.data.to && parsed.data.to < parsed.data.from) errors.to = { key: 'admin.error.dateOrder' };
	if (!parsed.ok || Object.keys(errors).length > 0) {
		return { ...vocabulary, errors, values: parsed.values, rows: [], page: 1, hasNext: false, filtered: true };
	}
	const d = parsed.data;
	const filters: AuditFilters = { action: d.action, actorAccountId: d.actor, subjectType: d.subject, from: d.from, to: d.to };
	const result = await auditPage(db(), filters, page, event.locals.locale);
	return {
		...vocabulary,
		errors: null,
		values: parsed.values,
		rows: result.rows.map((r) => ({ ...r, at: shanghaiDateTime(r.at), details: detailPairs(r.details) })),
		page,
		hasNext: result.hasNext,
		filtered: Object.values(filters).some((v) => v !== null)
	};
};
