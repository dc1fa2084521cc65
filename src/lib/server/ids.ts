import { error } from '@sveltejs/kit';

/**
 * The largest id the portal accepts anywhere (addresses, forms): PostgreSQL's `integer`, the type
 * of most tables' ids. Larger numbers are no record of ours (and would be refused by the database
 * with an error, not answered "not found"); `bigint` ids of a subdistrict never come near it.
 */
export const MAX_ID = 2_147_483_647;

/** A positive whole number written plainly (no sign, no leading zero) within MAX_ID, or null. */
export function parseId(raw: string | null | undefined): number | null {
	if (!raw || !/^[1-9]\d{0,9}$/.test(raw)) return null;
	const id = Number(raw);
	return id <= MAX_ID ? id : null;
}

/** A route's numeric id, or a plain 404 for anything that cannot be one. */
export function routeId(raw: string): number {
	const id = parseId(raw);
	if (id === null) error(404, { message: 'Not found' });
	return id;
}
