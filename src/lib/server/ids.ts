import { error } from '@sveltejs/kit';

/** A route's numeric id, or a plain 404 for anything that cannot be one. */
export function routeId(raw: string): number {
	if (!/^[1-9]\d{0,15}$/.test(raw)) error(404, { message: 'Not found' });
	return Number(raw);
}
