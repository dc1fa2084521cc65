import type { Role } from './roles';

/** Which role a path's area needs ('user': any signed-in person), or null for public pages. */
export function areaRole(pathname: string): Role | 'user' | null {
	const first = pathname.split('/')[1] ?? '';
	switch (first) {
		case 'admin':
			return 'admin';
		case 'staff':
			return 'staff';
		case 'trainer':
			return 'trainer';
		case 'doctor':
			return 'doctor';
		case 'me':
		case 'account':
			return 'user';
		default:
			return null;
	}
}
