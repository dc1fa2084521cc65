/**
 * One slot, fifty people at once, on PostgreSQL: through the real HTTP booking action served by two
 * app server processes on one database. Exactly one gets the slot; everyone else is told it was just
 * taken and offered the nearest free times. The servers run on the real clock, so the doctor works
 * every day and the slot is tomorrow morning.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession } from '../../src/lib/server/auth/session';
import { addDays, now, shanghaiDate, shanghaiInstant } from '../../src/lib/server/clock';
import { addRule } from '../../src/lib/server/doctors/practice';
import { describeConcurrent } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount } from '../helpers/factories';
import { startServers, stopAll, type ServerProcess } from '../helpers/servers';
import { studioWithDoctor } from './setup';
import { enhancedFormHeaders } from '../helpers/http';

let t: TestDatabase;
let servers: ServerProcess[] = [];
beforeAll(async () => {
	t = await createTestDatabase({ poolSize: 12 });
});
afterAll(async () => {
	await stopAll(servers);
	await t?.close();
});

describeConcurrent('fifty people for one doctor’s slot', () => {
	it('through the real HTTP action on two app servers: one booked, 49 told "just taken" with the nearest free times', async () => {
		const { doctor } = await studioWithDoctor(t.db, { weekdays: [] });
		const first = shanghaiDate(now());
		for (const weekday of [1, 2, 3, 4, 5, 6, 7]) {
			await addRule(t.db, doctor, {
				weekday,
				startTime: '09:00',
				endTime: '12:00',
				slotMinutes: 30,
				validFrom: addDays(first, -1),
				validTo: addDays(first, 30)
			});
		}
		const start = shanghaiInstant(addDays(first, 2), '10:00').toISOString();
		const accounts = await Promise.all(Array.from({ length: 50 }, () => createAccount(t.db)));
		const tokens = await Promise.all(accounts.map(async (a) => (await createSession(t.db, a.accountId)).token));
		servers = await startServers(2, t.url!, { WORKER_INTERVAL_SECONDS: '0' });
		const responses = await Promise.all(
			tokens.map((token, i) => {
				const server = servers[i % 2]!;
				return fetch(`${server.url}/doctors/${doctor.id}/book?start=${encodeURIComponent(start)}&/book`, {
					method: 'POST',
					headers: enhancedFormHeaders(server.url, token),
					body: new URLSearchParams({ start, service: 'consultation', reason: '' }).toString()
				});
			})
		);
		const bodies = await Promise.all(
			responses.map((r) => r.json() as Promise<{ type: string; status: number; data?: string; location?: string }>)
		);
		const booked = bodies.filter((b) => b.type === 'redirect');
		expect(booked).toHaveLength(1);
		expect(booked[0]!.location).toMatch(/^\/me\/appointments\/\d+\?booked=1$/);
		const refused = bodies.filter((b) => b.type === 'failure');
		expect(refused).toHaveLength(49);
		for (const r of refused) {
			expect(r.status).toBe(409);
			expect(r.data).toContain('doctors.refused.taken');
			expect(r.data).toContain(shanghaiInstant(addDays(first, 2), '09:30').toISOString()); // a neighbouring free slot
		}
		const held = await t.db
			.selectFrom('appointment')
			.innerJoin('reservation', 'reservation.id', 'appointment.reservation_id')
			.select(['reservation.status'])
			.where('appointment.doctor_id', '=', doctor.id)
			.execute();
		expect(held).toEqual([{ status: 'reserved' }]);
	});
});
