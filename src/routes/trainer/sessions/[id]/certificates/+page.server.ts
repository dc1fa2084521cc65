import { formatDateTime } from '$lib/format';
import type { Locale } from '$lib/i18n';
import { fields, parseForm, readForm, refuse, refuseStale } from '$lib/server/forms';
import {
	issueCertificates,
	issuingOpen,
	reissueCertificate,
	revokeCertificate,
	sessionEnrolments,
	type IssueResult
} from '$lib/server/certificates/issue';
import { db } from '$lib/server/db';
import { sessionJson } from '$lib/server/training/sessions';
import { trainerSession } from '../own';
import type { Actions, PageServerLoad } from './$types';

const NAME = fields.text({ max: 20 });

export const load: PageServerLoad = async (event) => {
	const { own, view } = await trainerSession(event);
	const list = await sessionEnrolments(db(), own.occurrenceId);
	const certs = await db()
		.selectFrom('certificate')
		.select(['id', 'reservation_id', 'number', 'revoked_at'])
		.where('reservation_id', 'in', list.length ? list.map((e) => e.reservationId) : [0])
		.orderBy('id')
		.execute();
	return {
		session: sessionJson(view),
		// Before the end the page says when issuing opens instead of offering a form the service refuses.
		issuingOpen: issuingOpen(view.endsAt),
		trainees: list.map((e) => {
			const mine = certs.filter((c) => c.reservation_id === e.reservationId);
			const live = mine.find((c) => !c.revoked_at);
			const revoked = mine.filter((c) => c.revoked_at);
			return {
				reservationId: e.reservationId,
				familyName: e.familyName,
				givenName: e.givenName,
				eligible: e.attended && e.passedAll,
				certificate: live ? { id: live.id, number: live.number } : null,
				revoked: revoked.map((c) => ({ id: c.id, number: c.number })),
				canReissue: !live && revoked.length > 0 && e.attended && e.passedAll
			};
		})
	};
};

function refusal(result: Extract<IssueResult, { ok: false }>, locale: Locale) {
	if (result.reason === 'not-found' || result.reason === 'forbidden')
		return refuse(404, { message: { key: 'training.trainer.refused.not-found' } });
	if (result.reason === 'not-ended')
		return refuse(409, { message: { key: 'issue.refused.not-ended', params: { end: formatDateTime(result.endsAt, locale) } } });
	if (result.reason === 'missing-characters')
		return refuse(409, { message: { key: 'issue.refused.missing-characters', params: { characters: result.characters.join(' ') } } });
	return refuse(409, { message: { key: `issue.refused.${result.reason}` } });
}

export const actions: Actions = {
	issue: async (event) => {
		const { user, own } = await trainerSession(event);
		const form = await readForm(event.request);
		const eligible = (await sessionEnrolments(db(), own.occurrenceId)).filter((e) => e.attended && e.passedAll);
		const schema = Object.fromEntries(
			eligible.flatMap((e) => [
				[`family${e.reservationId}`, NAME],
				[`given${e.reservationId}`, NAME]
			])
		);
		const parsed = parseForm({ ...schema, confirm: fields.checkbox() }, form);
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		if (!parsed.data.confirm) return refuse(400, { errors: { confirm: { key: 'issue.confirmRequired' } }, values: parsed.values });
		const data = parsed.data as unknown as Record<string, string>;
		const result = await issueCertificates(db(), user, {
			occurrenceId: own.occurrenceId,
			reservationIds: eligible.map((e) => e.reservationId),
			names: eligible.map((e) => ({
				reservationId: e.reservationId,
				familyName: data[`family${e.reservationId}`]!,
				givenName: data[`given${e.reservationId}`]!
			}))
		});
		if (!result.ok) return refusal(result, event.locals.locale);
		return { issued: result.issued.filter((i) => !i.existing).length };
	},
	revoke: async (event) => {
		const { user } = await trainerSession(event);
		const parsed = parseForm({ certificateId: fields.id(), reason: fields.text({ max: 300 }) }, await readForm(event.request));
		if (!parsed.ok) return refuse(400, { errors: parsed.errors, values: parsed.values });
		const result = await revokeCertificate(db(), user, parsed.data.certificateId, parsed.data.reason);
		if (!result.ok) return refuse(404, { message: { key: 'training.trainer.refused.not-found' } });
		return { revoked: true };
	},
	reissue: async (event) => {
		const { user } = await trainerSession(event);
		const parsed = parseForm({ certificateId: fields.id() }, await readForm(event.request));
		if (!parsed.ok) return refuseStale();
		const result = await reissueCertificate(db(), user, parsed.data.certificateId);
		if (!result.ok) return refusal(result, event.locals.locale);
		return { reissued: result.issued[0]!.number };
	}
};
