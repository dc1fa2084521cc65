import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { spaceForStaff } from '$lib/server/fitness/staff';
import { routeId } from '$lib/server/ids';
import { qrSvg } from '$lib/server/qr';
import type { PageServerLoad } from './$types';
import { linkOrigin } from '$lib/server/origin';

// The printable check-in poster: one permanent QR code per space.
export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, 'staff');
	const space = await spaceForStaff(db(), user, routeId(event.params.id));
	if (!space) error(404, { message: 'Not found' });
	const link = `${linkOrigin(event.url)}/fitness/checkin/${space.checkin_code}`;
	return { nameZh: space.name_zh, nameEn: space.name_en, link, qr: await qrSvg(link) };
};
