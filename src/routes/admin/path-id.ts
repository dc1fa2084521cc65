import { error } from '@sveltejs/kit';

/** A record id from the path; anything else is a page that does not exist. */
export function pathId(value: string): number {
	if (!/^[1-9]\d{0,14}$/.test(value)) error(404, { message: 'Not found' });
	return Number(value);
}
