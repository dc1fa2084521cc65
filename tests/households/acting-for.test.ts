/**
 * A carer takes up or declines a member's waiting-list offer, and cancels or moves a member's doctor
 * appointment, under the member's rules; the history names the carer. Anyone else's ids are refused
 * as if missing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { acceptOffer, cancel, reserve } from '../../src/lib/server/booking/reservations';
import { book, cancelAppointment, reschedule } from '../../src/lib/server/doctors/appointments';
import { nearestFree } from '../../src/lib/server/doctors/slots';
import { addMember, endLink } from '../../src/lib/server/households/households';
import { studioWithDoctor } from '../doctors/setup';
import { describeOnPostgres } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createOccurrence } from '../helpers/factories';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';

let t: TestDatabase;
let server: ServerProcess | undefined;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(async () => {
	await server?.stop();
	await t?.close();
});
afterEach(() => resetClock());

const DAY = 24 * 60 * 60_000;
const self = (a: { accountId: number; personId: number }) => ({ accountId: a.accountId, personId: a.personId });

async function household() {
	const carer = await createAccount(t.db, { familyName: '孙', givenName: '立东' });
	const memberId = await addMember(t.db, self(carer), {
		familyName: '孙',
		givenName: '桂芳',
		displayName: null,
		birthYear: 1944,
		phone: null
	});
	const stranger = await createAccount(t.db, { familyName: '外', givenName: '人' });
	return { carer, memberId, stranger };
}

/** A fitness place offered to the member: someone held it, the member waited, the place was freed. */
async function offerToMember(carer: { accountId: number; personId: number }, memberId: number) {
	const occ = await createOccurrence(t.db, { capacity: 1, startsAt: new Date(Date.now() + 3 * DAY), title: '八段锦' });
	const first = await createAccount(t.db);
	const held = await reserve(t.db, { occurrenceId: occ.id, personId: first.personId, actor: self(first) });
	const waiting = await reserve(t.db, { occurrenceId: occ.id, personId: memberId, actor: self(carer) });
	if (!held.ok || !waiting.ok || waiting.status !== 'waitlisted') throw new Error('setup: waitlist');
	const freed = await cancel(t.db, { reservationId: held.reservationId, actor: self(first) });
	if (!freed.ok) throw new Error('setup: cancel');
	return waiting.reservationId;
}

const lastEvent = (reservationId: number) =>
	t.db
		.selectFrom('reservation_event')
		.select(['to_status', 'reason', 'actor_account_id'])
		.where('reservation_id', '=', reservationId)
		.orderBy('id', 'desc')
		.executeTakeFirstOrThrow();

const statusOf = async (reservationId: number) =>
	(await t.db.selectFrom('reservation').select('status').where('id', '=', reservationId).executeTakeFirstOrThrow()).status;

describe("a member's waiting-list offer", () => {
	it('is taken up by the carer, recorded as done by the carer for the member; a stranger is refused', async () => {
		const { carer, memberId, stranger } = await household();
		const offered = await offerToMember(carer, memberId);
		expect(await statusOf(offered)).toBe('offered');
		const carerCopy = await t.db
			.selectFrom('notification')
			.select('link')
			.where('person_id', '=', carer.personId)
			.where('kind', '=', 'booking_offered')
			.executeTakeFirstOrThrow();
		expect(carerCopy.link).toBe(`/me/offers/${offered}`);

		expect(await acceptOffer(t.db, { reservationId: offered, actor: self(stranger) })).toEqual({ ok: false, reason: 'not-yours' });
		expect(await cancel(t.db, { reservationId: offered, actor: self(stranger) })).toEqual({ ok: false, reason: 'not-yours' });
		expect(await statusOf(offered)).toBe('offered');

		expect(await acceptOffer(t.db, { reservationId: offered, actor: self(carer) })).toEqual({ ok: true, status: 'reserved' });
		expect(await lastEvent(offered)).toEqual({ to_status: 'reserved', reason: 'offer_accepted_for', actor_account_id: carer.accountId });
	});

	it('is declined by the carer, and no longer reachable once the link has ended', async () => {
		const { carer, memberId } = await household();
		const declined = await offerToMember(carer, memberId);
		expect(await cancel(t.db, { reservationId: declined, actor: self(carer), reason: 'offer_declined' })).toEqual({
			ok: true,
			status: 'cancelled'
		});
		expect(await lastEvent(declined)).toEqual({ to_status: 'cancelled', reason: 'offer_declined', actor_account_id: carer.accountId });

		const later = await offerToMember(carer, memberId);
		const link = await t.db.selectFrom('household_link').select('id').where('member_person_id', '=', memberId).executeTakeFirstOrThrow();
		await endLink(t.db, self(carer), link.id);
		expect(await acceptOffer(t.db, { reservationId: later, actor: self(carer) })).toEqual({ ok: false, reason: 'not-yours' });
		expect(await statusOf(later)).toBe('offered');
	});
});

describe("a member's doctor appointment", () => {
	// Monday 30 November 2026, 08:00 in Shanghai; the doctor works weekday mornings from 09:00.
	const MONDAY = shanghaiInstant('2026-11-30', '08:00');

	async function memberAppointment() {
		const h = await household();
		const { doctor } = await studioWithDoctor(t.db);
		const booked = await book(t.db, {
			doctorId: doctor.id,
			start: shanghaiInstant('2026-12-01', '09:00'),
			service: 'consultation',
			reason: null,
			personId: h.memberId,
			actor: self(h.carer)
		});
		if (!booked.ok) throw new Error(`setup: ${booked.reason}`);
		return { ...h, doctor, appointmentId: booked.appointmentId };
	}

	it('is moved by the carer to another slot, still the member\'s, and booked "for" them', async () => {
		setClock(fixedClock(MONDAY));
		const { carer, memberId, stranger, appointmentId } = await memberAppointment();
		const to = shanghaiInstant('2026-12-01', '10:30');
		// The stranger's own id is passed as the person: the appointment is not theirs, so not found.
		expect(await reschedule(t.db, { appointmentId, personId: stranger.personId, actor: self(stranger), start: to })).toEqual({
			ok: false,
			reason: 'not-found'
		});
		const moved = await reschedule(t.db, { appointmentId, personId: memberId, actor: self(carer), start: to });
		if (!moved.ok) throw new Error(moved.reason);
		const row = await t.db
			.selectFrom('reservation')
			.select(['person_id', 'booked_by', 'during'])
			.where('id', '=', moved.appointmentId)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ person_id: memberId, booked_by: carer.accountId });
		expect(await lastEvent(moved.appointmentId)).toMatchObject({ reason: 'booked_for', actor_account_id: carer.accountId });
		expect(await lastEvent(appointmentId)).toEqual({ to_status: 'cancelled', reason: 'rescheduled', actor_account_id: carer.accountId });
	});

	it("is cancelled by the carer in time, and refused inside the member's 2-hour cut-off", async () => {
		setClock(fixedClock(MONDAY));
		const { carer, memberId, stranger, appointmentId, doctor } = await memberAppointment();
		expect(await cancelAppointment(t.db, { appointmentId, personId: stranger.personId, actor: self(stranger) })).toEqual({
			ok: false,
			reason: 'not-found'
		});
		expect(await cancelAppointment(t.db, { appointmentId, personId: memberId, actor: self(carer) })).toEqual({ ok: true });
		expect(await lastEvent(appointmentId)).toEqual({ to_status: 'cancelled', reason: 'cancelled_for', actor_account_id: carer.accountId });

		const again = await book(t.db, {
			doctorId: doctor.id,
			start: shanghaiInstant('2026-12-01', '11:00'),
			service: 'consultation',
			reason: null,
			personId: memberId,
			actor: self(carer)
		});
		if (!again.ok) throw new Error(again.reason);
		// 09:30 on the day: an hour and a half before 11:00, past the cut-off for the carer as for the member.
		setClock(fixedClock(shanghaiInstant('2026-12-01', '09:30')));
		expect(await cancelAppointment(t.db, { appointmentId: again.appointmentId, personId: memberId, actor: self(carer) })).toEqual({
			ok: false,
			reason: 'past-cutoff'
		});
		expect(
			await reschedule(t.db, {
				appointmentId: again.appointmentId,
				personId: memberId,
				actor: self(carer),
				start: shanghaiInstant('2026-12-02', '09:00')
			})
		).toEqual({ ok: false, reason: 'past-cutoff' });
		expect(await statusOf(again.appointmentId)).toBe('reserved');
	});
});

describeOnPostgres("a member's offer and appointment over HTTP", () => {
	it("opens them for the carer and answers someone else's ids as if missing", async () => {
		server = await startServer({ databaseUrl: t.url!, env: { WORKER_INTERVAL_SECONDS: '0' } });
		const { carer, memberId, stranger } = await household();
		const offered = await offerToMember(carer, memberId);
		const { doctor } = await studioWithDoctor(t.db);
		// Six days ahead: never on the offered session's day (three days ahead), whatever the weekday.
		const [slot, other] = await nearestFree(t.db, doctor.id, new Date(Date.now() + 6 * DAY));
		const booked = await book(t.db, {
			doctorId: doctor.id,
			start: slot!.start,
			service: 'consultation',
			reason: null,
			personId: memberId,
			actor: self(carer)
		});
		if (!booked.ok) throw new Error(booked.reason);
		const appointmentId = booked.appointmentId;

		const intruder = new Client(server.url);
		expect((await intruder.login(stranger.login, stranger.password)).status).toBe(303);
		expect((await intruder.get(`/me/offers/${offered}`)).status).toBe(404);
		expect((await intruder.post(`/me/offers/${offered}?/accept`, {})).status).toBe(404);
		expect((await intruder.post(`/me/offers/${offered}?/decline`, {})).status).toBe(404);
		expect((await intruder.get(`/me/appointments/${appointmentId}`)).status).toBe(404);
		expect((await intruder.get(`/me/appointments/${appointmentId}/reschedule`)).status).toBe(404);
		expect((await intruder.post(`/me/appointments/${appointmentId}/reschedule?/move`, { start: other!.start.toISOString() })).status).toBe(
			404
		);
		expect((await intruder.post('/me/appointments?/cancel', { id: String(appointmentId) })).status).toBe(404);
		expect(await statusOf(offered)).toBe('offered');
		expect(await statusOf(appointmentId)).toBe('reserved');

		const client = new Client(server.url);
		expect((await client.login(carer.login, carer.password)).status).toBe(303);
		const page = await client.get(`/me/offers/${offered}`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('八段锦');
		expect(html).toContain('为 孙桂芳 预约');
		const accepted = await client.post(`/me/offers/${offered}?/accept`, {});
		expect(accepted.status).toBe(303);
		expect(accepted.headers.get('location')).toBe(`/me/reservations/${offered}?accepted`);
		expect(await statusOf(offered)).toBe('reserved');
		expect(await (await client.get(`/me/reservations/${offered}?accepted`)).text()).toContain('孙桂芳');

		expect((await client.get(`/me/appointments/${appointmentId}/reschedule`)).status).toBe(200);
		const moved = await client.post(`/me/appointments/${appointmentId}/reschedule?/move`, { start: other!.start.toISOString() });
		expect(moved.status).toBe(303);
		const newId = Number(/\/me\/appointments\/(\d+)\?moved=1$/.exec(moved.headers.get('location') ?? '')?.[1]);
		expect(await statusOf(appointmentId)).toBe('cancelled');
		expect((await client.post('/me/appointments?/cancel', { id: String(newId) })).status).toBe(200);
		expect(await statusOf(newId)).toBe('cancelled');
		expect(await lastEvent(newId)).toMatchObject({ reason: 'cancelled_for', actor_account_id: carer.accountId });
	});
});
