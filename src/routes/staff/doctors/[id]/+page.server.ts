import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { SERVICES } from '$lib/server/doctors/model';
import { linkFields, studioFields } from '$lib/server/doctors/schema';
import { doctorsOfStudio, linkDoctor, studioForStaff, unlinkDoctor, updateStudio } from '$lib/server/doctors/studios';
import { fields, parseForm, readForm, refuse, refuseStale } from '$lib/server/forms';
import { routeId } from '$lib/server/ids';
import { staffCommunityOptions } from '$lib/server/people/staff-scope';
import type { Actions, PageServerLoad } from './$types';

/** The staff member and the studio, or 404 when the studio is not in their communities. */
async function staffAndStudio(event: RequestEvent) {
	const user = requireRole(event, 'staff');
	const studio = await studioForStaff(db(), user, routeId(event.params.id!));
	if (!studio) error(404, { message: 'Not found' });
	return { user, studio };
}

export const load: PageServerLoad = async (event) => {
	const { user, studio } = await staffAndStudio(event);
	const locale = event.locals.locale;
	return {
		studio: {
			id: studio.id,
			name: locale === 'en' ? studio.name_en : studio.name_zh,
			stepFree: studio.step_free,
			values: {
				communityId: String(studio.community_id),
				nameZh: studio.name_zh,
				nameEn: studio.name_en,
				addressZh: studio.address_zh,
				addressEn: studio.address_en,
				directionsZh: studio.directions_zh ?? '',
				directionsEn: studio.directions_en ?? '',
				phone: studio.phone ?? ''
			}
		},
		created: event.url.searchParams.has('created'),
		doctors: await doctorsOfStudio(db(), studio.id, locale),
		communities: await staffCommunityOptions(db(), user, locale),
		services: SERVICES
	};
};

export const actions: Actions = {
	update: async (event) => {
		const { user, studio } = await staffAndStudio(event);
		const parsed = parseForm(studioFields, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await updateStudio(db(), user, studio.id, parsed.data);
		if (!result.ok) error(403, { message: 'Forbidden' });
		return { done: 'update' as const };
	},
	link: async (event) => {
		const { user, studio } = await staffAndStudio(event);
		const form = await readForm(event.request);
		const parsed = parseForm(linkFields, form);
		const services = form.getAll('services').filter((s): s is (typeof SERVICES)[number] => (SERVICES as readonly unknown[]).includes(s));
		if (!parsed.ok || services.length === 0) {
			const errors = {
				...(parsed.ok ? {} : parsed.errors),
				...(services.length === 0 ? { services: { key: 'error.chooseOne' as const } } : {})
			};
			return fail(400, { link: true, errors, values: parsed.values });
		}
		const result = await linkDoctor(db(), user, studio.id, { ...parsed.data, services });
		if (!result.ok)
			return fail(400, {
				link: true,
				errors: { phone: { key: `staff.doctors.refused.${result.reason}` as const } },
				values: parsed.values
			});
		return { done: 'link' as const };
	},
	unlink: async (event) => {
		const { user } = await staffAndStudio(event);
		const parsed = parseForm({ doctorId: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		const result = await unlinkDoctor(db(), user, parsed.data.doctorId);
		if (!result.ok)
			return refuse(result.reason === 'not-found' ? 404 : 403, { message: { key: `staff.doctors.refused.${result.reason}` } });
		return { done: 'unlink' as const };
	}
};
