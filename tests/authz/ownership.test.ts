/**
 * Ownership probes (issue #12 item 3): a second resident, staff member (of another community),
 * trainer and doctor ask for and post to the first one's objects by id. Every answer is the plain
 * "not found" anyone gets for a missing id, and nothing in the database changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../helpers/http';
import type { Fixture } from './fixture';
import { inParallel, loginOther, outcomeOf, startAuthzPortal } from './probe';
import { snapshot } from './snapshot';

type Started = Awaited<ReturnType<typeof startAuthzPortal>>;
let started: Started;
let f: Fixture;
const as: Record<'resident' | 'staff' | 'trainer' | 'doctor', Client> = {} as never;

beforeAll(async () => {
	started = await startAuthzPortal();
	f = started.fixture;
	for (const who of ['resident', 'staff', 'trainer', 'doctor'] as const) as[who] = await loginOther(started.portal.url, f.other[who]);
});
afterAll(() => started?.portal.close());

type Probe = { who: keyof typeof as; path: string; form?: Record<string, string>; expect?: number };

/** Someone else's objects, by kind; each probe expects 404 unless it says otherwise. */
function probes(): Record<string, Probe[]> {
	const slot = f.freeSlot;
	const session = `/trainer/sessions/${f.trainingSession}`;
	const own = `/trainer/sessions/${f.otherTrainerSession}`;
	return {
		'a reservation': [
			{ who: 'resident', path: `/me/reservations/${f.fitnessReservation}` },
			{ who: 'resident', path: '/me/reservations?/cancel', form: { id: String(f.fitnessReservation) } }
		],
		'an offer': [
			{ who: 'resident', path: `/me/offers/${f.offerReservation}` },
			{ who: 'resident', path: `/me/offers/${f.offerReservation}?/accept`, form: {} },
			{ who: 'resident', path: `/me/offers/${f.offerReservation}?/decline`, form: {} }
		],
		'an appointment': [
			{ who: 'resident', path: `/me/appointments/${f.appointment}` },
			{ who: 'resident', path: `/me/appointments/${f.appointment}/reschedule` },
			{ who: 'resident', path: `/me/appointments/${f.appointment}/reschedule?/move`, form: { start: slot } },
			{ who: 'resident', path: '/me/appointments?/cancel', form: { id: String(f.appointment) } }
		],
		'a training place': [{ who: 'resident', path: '/me/training?/withdraw', form: { id: String(f.trainingReservation) } }],
		'a certificate and its PDF': [
			{ who: 'resident', path: `/me/certificates/${f.certificate}` },
			{ who: 'resident', path: `/me/certificates/${f.certificate}/pdf` }
		],
		'a household member': [
			{ who: 'resident', path: `/me/household/${f.member}` },
			{ who: 'resident', path: '/me/household?/end', form: { id: String(f.memberLink) } },
			{ who: 'resident', path: '/me/household?/answer', form: { id: String(f.memberLink), answer: 'accept' } },
			// Booking for someone one does not look after is refused, whatever the form says.
			{ who: 'resident', path: `/occurrences/${f.staffSession}?/reserve`, form: { for: String(f.member) }, expect: 403 }
		],
		// Marking read is scoped to the person: another's id marks nothing and answers as a missing id does.
		'a notification': [
			{ who: 'resident', path: '/me/notifications?/read', form: { id: String(f.notification) }, expect: 200 },
			{ who: 'resident', path: '/me/notifications?/read', form: { id: '999999999' }, expect: 200 }
		],
		'a person of another community (staff)': [
			{ who: 'staff', path: `/staff/people/${f.residentPerson}` },
			{
				who: 'staff',
				path: `/staff/people/${f.residentPerson}?/update`,
				form: { familyName: '改', givenName: '名', phone: '13900000000', birthYear: '1950' }
			},
			{ who: 'staff', path: `/staff/people/${f.residentPerson}?/book`, form: { occurrenceId: String(f.staffSession) } },
			{
				who: 'staff',
				path: `/staff/people/${f.residentPerson}?/bookDoctor`,
				form: { doctorId: String(f.doctorId), start: f.freeSlot, service: 'consultation', reason: '' }
			},
			{ who: 'staff', path: `/staff/people/${f.residentPerson}?/openAccount`, form: {} },
			{ who: 'staff', path: `/staff/people/${f.residentPerson}?/passwordLink`, form: {} }
		],
		'a certificate of another community (staff)': [
			{ who: 'staff', path: `/staff/certificates/${f.certificate}` },
			{ who: 'staff', path: `/staff/certificates/${f.certificate}?/revoke`, form: { reason: '探测' } },
			{ who: 'staff', path: `/staff/certificates/${f.certificate}?/reissue`, form: {} }
		],
		'a roster of another community (staff)': [
			{ who: 'staff', path: `/staff/occurrences/${f.fitnessOccurrence}` },
			{ who: 'staff', path: `/staff/occurrences/${f.fitnessOccurrence}?/checkIn`, form: { reservationId: String(f.fitnessReservation) } },
			{ who: 'staff', path: `/staff/occurrences/${f.fitnessOccurrence}?/cancel`, form: { reservationId: String(f.fitnessReservation) } },
			{ who: 'staff', path: `/staff/occurrences/${f.fitnessOccurrence}?/undo`, form: { reservationId: String(f.fitnessReservation) } },
			{ who: 'staff', path: `/staff/occurrences/${f.fitnessOccurrence}?/admit`, form: { phone: '13800000001' } }
		],
		'spaces, sessions and series of another community (staff)': [
			{ who: 'staff', path: `/staff/fitness/spaces/${f.space}` },
			{ who: 'staff', path: `/staff/fitness/spaces/${f.space}/poster` },
			{
				who: 'staff',
				path: `/staff/fitness/spaces/${f.space}?/close`,
				form: { from: '2030-01-01', to: '2030-01-02', reasonZh: '探测', reasonEn: 'probe' }
			},
			...['update', 'hours', 'createSeries', 'cancelSeries', 'cancelSession'].map((action) => ({
				who: 'staff' as const,
				path: `/staff/fitness/spaces/${f.space}?/${action}`,
				form: { seriesId: String(f.series), occurrenceId: String(f.staffSession) }
			})),
			{ who: 'staff', path: `/staff/fitness/sessions/${f.staffSession}` },
			{ who: 'staff', path: `/staff/fitness/sessions/${f.staffSession}?/edit`, form: {} },
			{ who: 'staff', path: `/staff/fitness/sessions/${f.staffSession}?/cancel`, form: {} },
			{ who: 'staff', path: `/staff/fitness/series/${f.series}` },
			{ who: 'staff', path: `/staff/fitness/series/${f.series}`, form: {} }
		],
		'a studio and a training session of another community (staff)': [
			{ who: 'staff', path: `/staff/doctors/${f.studio}` },
			{ who: 'staff', path: `/staff/doctors/${f.studio}?/unlink`, form: { doctorId: String(f.doctorId) } },
			{ who: 'staff', path: `/staff/training/sessions/${f.trainingSession}` },
			{ who: 'staff', path: `/staff/doctors/${f.studio}?/update`, form: {} },
			{ who: 'staff', path: `/staff/doctors/${f.studio}?/link`, form: { login: f.other.doctor } },
			{ who: 'staff', path: `/staff/training/sessions/${f.trainingSession}?/cancel`, form: {} },
			{ who: 'staff', path: `/staff/training/sessions/${f.trainingSession}?/change`, form: {} },
			{ who: 'staff', path: `/staff/training/sessions/${f.trainingSession}?/import`, form: {} }
		],
		"another community's figures (staff)": [
			{ who: 'staff', path: `/staff?community=${f.communityA}`, expect: 403 },
			{ who: 'staff', path: `/staff/coverage?community=${f.communityA}`, expect: 403 },
			{ who: 'staff', path: `/staff/export/dashboard?community=${f.communityA}`, expect: 403 },
			{ who: 'staff', path: `/staff/coverage?community=${f.communityA}&/target`, form: { target: '50' }, expect: 403 },
			{ who: 'staff', path: `/staff/coverage?community=${f.communityA}&/notify`, form: {}, expect: 403 },
			// A valid walk-in form naming the other community: refused, not written.
			{
				who: 'staff',
				path: '/staff/people/new',
				form: { familyName: '赵', givenName: '探测', birthYear: '1950', communityId: String(f.communityA) },
				expect: 403
			}
		],
		"another trainer's session": [
			{ who: 'trainer', path: session },
			{ who: 'trainer', path: `${session}/sheet` },
			{ who: 'trainer', path: `${session}/certificates` },
			{ who: 'trainer', path: `${session}/certificates/pdf` },
			{ who: 'trainer', path: `${session}/trainees/${f.trainingReservation}` },
			{ who: 'trainer', path: `${session}?/attendance`, form: { present: String(f.trainingReservation) } },
			{ who: 'trainer', path: `${session}/certificates?/revoke`, form: { certificateId: String(f.certificate), reason: '探测' } },
			// Through the trainer's own session's address, with the other session's ids in the form.
			{ who: 'trainer', path: `${own}/certificates?/revoke`, form: { certificateId: String(f.certificate), reason: '探测' } },
			{ who: 'trainer', path: `${own}/certificates?/reissue`, form: { certificateId: String(f.certificate) } },
			{ who: 'trainer', path: `${own}?/attendance`, form: { present: String(f.trainingReservation) } },
			{ who: 'trainer', path: `${own}/trainees/${f.trainingReservation}` }
		],
		"another doctor's appointments and hours": [
			{ who: 'doctor', path: `/doctor/appointments/${f.appointment}/move` },
			{ who: 'doctor', path: `/doctor/appointments/${f.appointment}/move?/move`, form: { start: slot, message: '' } },
			{ who: 'doctor', path: '/doctor?/mark', form: { id: String(f.appointment), outcome: 'no_show' } },
			{ who: 'doctor', path: '/doctor/hours?/cancelOne', form: { id: String(f.appointment), message: '探测' } },
			{ who: 'doctor', path: '/doctor/hours?/removeRule', form: { id: String(f.doctorRule) } },
			{ who: 'doctor', path: '/doctor/hours?/removeException', form: { id: String(f.doctorException) } }
		]
	};
}

describe('ownership', () => {
	it("answers someone else's ids as if missing, and changes nothing", async () => {
		const before = await started.portal.inspect((db) => snapshot(db, f));
		const all = Object.entries(probes()).flatMap(([kind, list]) => list.map((p) => ({ kind, ...p })));
		const lines = await inParallel(
			all.map((p) => async () => {
				const client = as[p.who];
				const response = p.form ? await client.post(p.path, p.form) : await client.get(p.path);
				const body = await response.text();
				const actual = outcomeOf(response);
				const expected = p.expect ?? 404;
				// The refusal must not show the owner's name either.
				const leaks = body.includes('王秀英') || body.includes('13800000001');
				return actual === expected && !leaks
					? null
					: `${p.kind}: ${p.form ? 'POST' : 'GET'} ${p.path} as ${p.who} → ${JSON.stringify(actual)}${leaks ? ' (shows the owner)' : ''}`;
			}),
			3
		);
		expect(lines.filter(Boolean)).toEqual([]);
		expect(await started.portal.inspect((db) => snapshot(db, f))).toEqual(before);
	});
});
