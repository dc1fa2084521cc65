/** A person's appointments in their calendar feed and on the home page open the appointment's own page. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '../../src/lib/server/booking/reservations';
import { calendarItems } from '../../src/lib/server/calendar/feed';
import { renderCalendar } from '../../src/lib/server/calendar/ical';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { book } from '../../src/lib/server/doctors/appointments';
import { registerModules } from '../../src/lib/server/modules';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createOccurrence } from '../helpers/factories';
import { resident, studioWithDoctor } from './setup';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
	registerModules();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const at = (day: string, time: string) => shanghaiInstant(day, time);

describe('calendar and home-page items', () => {
	it('link an appointment to /me/appointments/<id>, and a fitness place to /me/reservations/<id>', async () => {
		setClock(fixedClock(at('2026-11-30', '08:00')));
		const { doctor } = await studioWithDoctor(t.db);
		const r = await resident(t.db);
		const appointment = await book(t.db, {
			doctorId: doctor.id,
			start: at('2026-12-01', '09:00'),
			personId: r.personId,
			actor: r.actor,
			service: 'consultation',
			reason: null
		});
		if (!appointment.ok) throw new Error(appointment.reason);
		const session = await createOccurrence(t.db, { programme: 'fitness', startsAt: at('2026-12-02', '19:00') });
		const place = await reserve(t.db, { occurrenceId: session.id, personId: r.personId, actor: r.actor });
		if (!place.ok) throw new Error(place.reason);

		// The home page lists the same items as the feed (calendarItems), in time order.
		const items = await calendarItems(t.db, r.personId, 'en');
		expect(items.map((i) => i.url)).toEqual([`/me/appointments/${appointment.appointmentId}`, `/me/reservations/${place.reservationId}`]);
		const feed = renderCalendar('Healthy Dongmen', items, { origin: 'https://portal.example' });
		expect(feed).toContain(`URL:https://portal.example/me/appointments/${appointment.appointmentId}`);
		expect(feed).not.toContain(`/me/reservations/${appointment.appointmentId}\r`);
	});
});
