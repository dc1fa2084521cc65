/** Staff booking at the counter (audited) and admins merging two records of one person. */
import { shanghaiDate } from '../../src/lib/server/clock';
import { dashboard } from '../../src/lib/server/participation/dashboard';
import { rebuildAggregates } from '../../src/lib/server/participation/rebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '../../src/lib/server/booking/reservations';
import { bookAtCounter, counterChoices } from '../../src/lib/server/households/counter';
import { addMember } from '../../src/lib/server/households/households';
import { mergePeople } from '../../src/lib/server/people/merge';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createCommunity, createOccurrence, createPerson } from '../helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(async () => {
	await t?.close();
});

const DAY = 24 * 60 * 60_000;
const self = (p: { personId: number; accountId?: number }) => ({ accountId: p.accountId ?? null, personId: p.personId });

describe('at the counter', () => {
	it('books for a person of the staff member\'s community under the person\'s rules, audited as "booked by X for Y"', async () => {
		const community = await createCommunity(t.db);
		const elsewhere = await createCommunity(t.db);
		const staff = await createAccount(t.db, { roles: [{ role: 'staff', communityId: community.id }] });
		const actor = { accountId: staff.accountId, roles: [{ role: 'staff' as const, communityId: community.id }] };
		const walkIn = await createPerson(t.db, { communityId: community.id, phone: null });
		const stranger = await createPerson(t.db, { communityId: elsewhere.id });
		const occ = await createOccurrence(t.db, { startsAt: new Date(Date.now() + 2 * DAY), communityId: community.id });

		const booked = await bookAtCounter(t.db, actor, walkIn.id, occ.id);
		if (!booked.ok) throw new Error(booked.reason);
		const row = await t.db.selectFrom('reservation').selectAll().where('id', '=', booked.reservationId).executeTakeFirstOrThrow();
		expect(row).toMatchObject({ person_id: walkIn.id, booked_by: staff.accountId, status: 'reserved' });
		const entry = await t.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'reservation.book_for_person')
			.where('subject_id', '=', String(walkIn.id))
			.executeTakeFirstOrThrow();
		expect(entry.actor_account_id).toBe(staff.accountId);
		expect(entry.details).toMatchObject({ reservation_id: booked.reservationId, occurrence_id: occ.id });
		// Twice is refused by the core; someone of another community is out of reach.
		expect(await bookAtCounter(t.db, actor, walkIn.id, occ.id)).toEqual({ ok: false, reason: 'already' });
		expect(await bookAtCounter(t.db, actor, stranger.id, occ.id)).toEqual({ ok: false, reason: 'out-of-scope' });
	});
});

describe('a full session at the counter', () => {
	it('shows the places left or "full" for each session, and says the person is waitlisted at position N, not booked', async () => {
		const community = await createCommunity(t.db);
		const staff = await createAccount(t.db, { roles: [{ role: 'staff', communityId: community.id }] });
		const actor = { accountId: staff.accountId, roles: [{ role: 'staff' as const, communityId: community.id }] };
		const [first, second, third] = [
			await createPerson(t.db, { communityId: community.id }),
			await createPerson(t.db, { communityId: community.id }),
			await createPerson(t.db, { communityId: community.id })
		];
		const occ = await createOccurrence(t.db, { startsAt: new Date(Date.now() + 2 * DAY), communityId: community.id, capacity: 1 });
		const doctorSlot = await createOccurrence(t.db, {
			programme: 'doctor',
			startsAt: new Date(Date.now() + 3 * DAY),
			communityId: community.id,
			capacity: 1
		});
		const choice = async () => (await counterChoices(t.db, actor, 'zh-CN')).find((c) => c.id === occ.id);
		expect(await choice()).toMatchObject({ placesLeft: 1, waitlist: true });
		// Doctor slots are booked through the doctor's own counter, not listed here.
		expect((await counterChoices(t.db, actor, 'zh-CN')).map((c) => c.id)).not.toContain(doctorSlot.id);

		expect(await bookAtCounter(t.db, actor, first!.id, occ.id)).toMatchObject({ ok: true, status: 'reserved', position: null });
		expect(await choice()).toMatchObject({ placesLeft: 0, waitlist: true });
		expect(await bookAtCounter(t.db, actor, second!.id, occ.id)).toMatchObject({ ok: true, status: 'waitlisted', position: 1 });
		expect(await bookAtCounter(t.db, actor, third!.id, occ.id)).toMatchObject({ ok: true, status: 'waitlisted', position: 2 });
	});
});

describe('merging two records of one person', () => {
	it('keeps one reservation where both held the same session, moves the rest, and audits it', async () => {
		const admin = await createAccount(t.db, { roles: ['admin'] });
		const keep = await createAccount(t.db, { familyName: '周', givenName: '建华' });
		const drop = await createPerson(t.db, { familyName: '周', givenName: '建华', phone: null });
		const both = await createOccurrence(t.db, { capacity: 5, startsAt: new Date(Date.now() + 2 * DAY) });
		const onlyDrop = await createOccurrence(t.db, { capacity: 5, startsAt: new Date(Date.now() + 3 * DAY) });
		const kept = await reserve(t.db, { occurrenceId: both.id, personId: keep.personId, actor: self(keep) });
		const dup = await reserve(t.db, { occurrenceId: both.id, personId: drop.id, actor: { accountId: null, personId: drop.id } });
		const moved = await reserve(t.db, { occurrenceId: onlyDrop.id, personId: drop.id, actor: { accountId: null, personId: drop.id } });
		if (!kept.ok || !dup.ok || !moved.ok) throw new Error('setup');
		const member = await addMember(
			t.db,
			{ accountId: keep.accountId, personId: drop.id },
			{ familyName: '周', givenName: '老', displayName: null, birthYear: 1939, phone: null }
		);

		const result = await mergePeople(t.db, admin.accountId, keep.personId, drop.id);
		expect(result).toEqual({ ok: true, cancelled: [dup.reservationId] });

		const rows = await t.db
			.selectFrom('reservation')
			.select(['id', 'person_id', 'status'])
			.where('occurrence_id', 'in', [both.id, onlyDrop.id])
			.orderBy('id')
			.execute();
		expect(rows).toEqual([
			{ id: kept.reservationId, person_id: keep.personId, status: 'reserved' },
			{ id: dup.reservationId, person_id: keep.personId, status: 'cancelled' },
			{ id: moved.reservationId, person_id: keep.personId, status: 'reserved' }
		]);
		const note = await t.db
			.selectFrom('reservation_event')
			.select(['reason', 'actor_account_id'])
			.where('reservation_id', '=', dup.reservationId)
			.orderBy('id', 'desc')
			.executeTakeFirstOrThrow();
		expect(note).toEqual({ reason: 'merged_duplicate', actor_account_id: admin.accountId });
		expect(await t.db.selectFrom('person').select('id').where('id', '=', drop.id).executeTakeFirst()).toBeUndefined();
		const link = await t.db
			.selectFrom('household_link')
			.select('carer_person_id')
			.where('member_person_id', '=', member)
			.executeTakeFirstOrThrow();
		expect(link.carer_person_id).toBe(keep.personId);
		const entry = await t.db
			.selectFrom('audit_log')
			.selectAll()
			.where('action', '=', 'person.merge')
			.where('subject_id', '=', String(keep.personId))
			.executeTakeFirstOrThrow();
		expect(entry).toMatchObject({ actor_account_id: admin.accountId, details: { merged: drop.id, cancelled: [dup.reservationId] } });

		// The participation figures the triggers kept through the merge are those a full recount gives.
		const month = shanghaiDate(new Date(Date.now() + 3 * DAY)).slice(0, 7);
		const figures = () => dashboard(t.db, { from: month, to: month, communityId: null, communities: null, communityCode: 'all' });
		const viaTriggers = await figures();
		expect(viaTriggers.find((r) => r.programme === 'fitness')?.made).toBeGreaterThanOrEqual(3);
		await rebuildAggregates(t.db);
		expect(await figures()).toEqual(viaTriggers);
	});

	it('refuses two records that both have an account', async () => {
		const admin = await createAccount(t.db, { roles: ['admin'] });
		const a = await createAccount(t.db);
		const b = await createAccount(t.db);
		expect(await mergePeople(t.db, admin.accountId, a.personId, b.personId)).toEqual({ ok: false, reason: 'both-accounts' });
	});
});
