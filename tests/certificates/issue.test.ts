/** Issuing, verifying and revoking certificates on the database, with the injected clock. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '../../src/lib/server/booking/reservations';
import { issueCertificates, reissueCertificate, revokeCertificate } from '../../src/lib/server/certificates/issue';
import { myCertificates } from '../../src/lib/server/certificates/mine';
import { certificateForStaff, findCertificates } from '../../src/lib/server/certificates/staff';
import { parseNumber } from '../../src/lib/server/certificates/number';
import { sendExpiryReminders } from '../../src/lib/server/certificates/reminders';
import { verifyByCode, verifyByNumber } from '../../src/lib/server/certificates/verify';
import { fixedClock, resetClock, setClock, shanghaiInstant } from '../../src/lib/server/clock';
import { recordAssessment, recordAttendance } from '../../src/lib/server/training/trainer';
import { describeConcurrent } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount, createOccurrence, createPerson } from '../helpers/factories';
import { newSession } from '../training/helpers';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase({ poolSize: 8 });
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const trainerActor = (accountId: number) => ({ accountId, roles: [{ role: 'trainer' as const, communityId: null }] });

/** A finished session of a course with three skills: who attended, and who passed every skill. */
async function finishedClass(people: { attended: boolean; passed: boolean; familyName?: string; givenName?: string }[]) {
	setClock(fixedClock(shanghaiInstant('2026-11-10', '09:00')));
	const session = await newSession(t.db, { startsAt: shanghaiInstant('2026-11-12', '09:00') });
	const skills = await t.db
		.selectFrom('training_skill')
		.select('id')
		.where('course_id', '=', session.courseId)
		.orderBy('position')
		.execute();
	const enrolled: { reservationId: number; personId: number }[] = [];
	for (const p of people) {
		const person = await createPerson(t.db, { familyName: p.familyName ?? '王', givenName: p.givenName ?? '秀英' });
		const booked = await reserve(t.db, {
			occurrenceId: session.occurrenceId,
			personId: person.id,
			actor: { accountId: null, personId: person.id }
		});
		if (!booked.ok) throw new Error(booked.reason);
		enrolled.push({ reservationId: booked.reservationId, personId: person.id });
	}
	setClock(fixedClock(shanghaiInstant('2026-11-12', '10:00')));
	const present = enrolled.filter((_, i) => people[i]!.attended).map((e) => e.reservationId);
	const attendance = await recordAttendance(t.db, session.trainerAccountId, session.occurrenceId, present);
	if (!attendance.ok) throw new Error(attendance.reason);
	for (const [i, e] of enrolled.entries()) {
		if (!people[i]!.attended) continue;
		const results = skills.map((s, k) => ({ skillId: s.id, passed: people[i]!.passed || k > 0, note: null }));
		const assessed = await recordAssessment(t.db, session.trainerAccountId, {
			occurrenceId: session.occurrenceId,
			reservationId: e.reservationId,
			results
		});
		if (!assessed.ok) throw new Error(assessed.reason);
	}
	setClock(fixedClock(shanghaiInstant('2026-11-26', '10:00')));
	return { session, enrolled };
}

describe('issuing certificates', () => {
	it('gives the whole class that attended and passed one certificate each, and nobody else', async () => {
		const { session, enrolled } = await finishedClass([
			{ attended: true, passed: true },
			{ attended: true, passed: true, familyName: '欧阳', givenName: '明' },
			{ attended: true, passed: false },
			{ attended: false, passed: false }
		]);
		const result = await issueCertificates(t.db, trainerActor(session.trainerAccountId), { occurrenceId: session.occurrenceId });
		if (!result.ok) throw new Error(result.reason);
		expect(result.issued.map((i) => i.reservationId)).toEqual([enrolled[0]!.reservationId, enrolled[1]!.reservationId]);
		expect(result.issued.every((i) => !i.existing && parseNumber(i.number).ok)).toBe(true);
		const rows = await t.db.selectFrom('certificate').selectAll().where('course_id', '=', session.courseId).orderBy('id').execute();
		expect(rows).toHaveLength(2);
		// Trained 12 November 2026, valid 24 months: to the end of November 2028.
		expect(rows.map((r) => [r.trained_on, r.valid_until])).toEqual([
			['2026-11-12', '2028-11-30'],
			['2026-11-12', '2028-11-30']
		]);
		expect(rows[0]!.verification_code).toMatch(/^[a-z2-7]{32}$/);
		expect(Number(rows[1]!.number.slice(11, 17))).toBeGreaterThan(Number(rows[0]!.number.slice(11, 17)));
		// Again: the same certificates, no new ones.
		const again = await issueCertificates(t.db, trainerActor(session.trainerAccountId), { occurrenceId: session.occurrenceId });
		expect(again.ok && again.issued.every((i) => i.existing)).toBe(true);
		expect(await t.db.selectFrom('certificate').select('id').where('course_id', '=', session.courseId).execute()).toHaveLength(2);
		const told = await t.db
			.selectFrom('notification')
			.select('kind')
			.where('person_id', '=', enrolled[0]!.personId)
			.where('kind', '=', 'certificate_issued')
			.execute();
		expect(told).toHaveLength(1);
	});

	it('is all or nothing: one trainee who did not pass, or a name the font cannot print, issues none', async () => {
		const { session, enrolled } = await finishedClass([
			{ attended: true, passed: true },
			{ attended: true, passed: false },
			{ attended: true, passed: true, givenName: '秀\u{E000}' }
		]);
		const trainer = trainerActor(session.trainerAccountId);
		const ids = enrolled.map((e) => e.reservationId);
		expect(await issueCertificates(t.db, trainer, { occurrenceId: session.occurrenceId, reservationIds: ids.slice(0, 2) })).toEqual({
			ok: false,
			reason: 'not-eligible',
			reservationIds: [ids[1]]
		});
		expect(await issueCertificates(t.db, trainer, { occurrenceId: session.occurrenceId, reservationIds: [ids[0]!, ids[2]!] })).toEqual({
			ok: false,
			reason: 'missing-characters',
			characters: ['\u{E000}'],
			reservationIds: [ids[2]]
		});
		expect(await t.db.selectFrom('certificate').select('id').where('course_id', '=', session.courseId).execute()).toEqual([]);
		// The trainer corrects the name while confirming it: then it is issued, under the corrected name.
		const fixed = await issueCertificates(t.db, trainer, {
			occurrenceId: session.occurrenceId,
			reservationIds: [ids[0]!, ids[2]!],
			names: [{ reservationId: ids[2]!, familyName: '王', givenName: '秀兰' }]
		});
		expect(fixed.ok).toBe(true);
		const person = await t.db.selectFrom('person').select(['given_name']).where('id', '=', enrolled[2]!.personId).executeTakeFirstOrThrow();
		expect(person.given_name).toBe('秀兰');
	});

	it('is refused until the session has ended, though attendance and passes are recorded from an hour before the start', async () => {
		const clock = fixedClock(shanghaiInstant('2026-11-10', '09:00'));
		setClock(clock);
		const session = await newSession(t.db, { startsAt: shanghaiInstant('2026-11-12', '09:00') });
		const { ends_at: endsAt } = await t.db
			.selectFrom('occurrence')
			.select('ends_at')
			.where('id', '=', session.occurrenceId)
			.executeTakeFirstOrThrow();
		const skills = await t.db.selectFrom('training_skill').select('id').where('course_id', '=', session.courseId).execute();
		const person = await createPerson(t.db);
		const booked = await reserve(t.db, {
			occurrenceId: session.occurrenceId,
			personId: person.id,
			actor: { accountId: null, personId: person.id }
		});
		if (!booked.ok) throw new Error(booked.reason);

		// 38 minutes before the start the trainer ticks the class present and records every skill passed.
		clock.set(shanghaiInstant('2026-11-12', '08:22'));
		expect((await recordAttendance(t.db, session.trainerAccountId, session.occurrenceId, [booked.reservationId])).ok).toBe(true);
		const results = skills.map((k) => ({ skillId: k.id, passed: true, note: null }));
		const assessed = await recordAssessment(t.db, session.trainerAccountId, {
			occurrenceId: session.occurrenceId,
			reservationId: booked.reservationId,
			results
		});
		expect(assessed.ok).toBe(true);
		const trainer = trainerActor(session.trainerAccountId);
		const refused = { ok: false, reason: 'not-ended', endsAt };
		expect(await issueCertificates(t.db, trainer, { occurrenceId: session.occurrenceId })).toEqual(refused);
		// Under way, and a minute before the end: still refused, and nothing written nor sent.
		clock.set(shanghaiInstant('2026-11-12', '09:30'));
		expect(await issueCertificates(t.db, trainer, { occurrenceId: session.occurrenceId })).toEqual(refused);
		clock.set(new Date(endsAt.getTime() - 60_000));
		expect(await issueCertificates(t.db, trainer, { occurrenceId: session.occurrenceId, reservationIds: [booked.reservationId] })).toEqual(
			refused
		);
		expect(await t.db.selectFrom('certificate').select('id').where('reservation_id', '=', booked.reservationId).execute()).toEqual([]);
		expect(
			await t.db
				.selectFrom('notification')
				.select('id')
				.where('person_id', '=', person.id)
				.where('kind', '=', 'certificate_issued')
				.execute()
		).toEqual([]);

		// From the end: issued.
		clock.set(endsAt);
		const issued = await issueCertificates(t.db, trainer, { occurrenceId: session.occurrenceId });
		expect(issued.ok && issued.issued.map((i) => i.reservationId)).toEqual([booked.reservationId]);
	});

	it('is refused to another trainer and to staff of another community', async () => {
		const { session } = await finishedClass([{ attended: true, passed: true }]);
		const other = await createAccount(t.db, { roles: ['trainer'] });
		expect(await issueCertificates(t.db, trainerActor(other.accountId), { occurrenceId: session.occurrenceId })).toEqual({
			ok: false,
			reason: 'forbidden'
		});
		const elsewhere = { accountId: null, roles: [{ role: 'staff' as const, communityId: session.communityId + 1000 }] };
		expect(await issueCertificates(t.db, elsewhere, { occurrenceId: session.occurrenceId })).toEqual({ ok: false, reason: 'forbidden' });
		const staffHere = { accountId: null, roles: [{ role: 'staff' as const, communityId: session.communityId }] };
		expect((await issueCertificates(t.db, staffHere, { occurrenceId: session.occurrenceId })).ok).toBe(true);
	});
});

describe('verifying and revoking', () => {
	it('answers valid, then expired after the last day, then revoked; a re-issue refers to the old one', async () => {
		const { session } = await finishedClass([{ attended: true, passed: true, familyName: '欧阳', givenName: '晓明' }]);
		const trainer = trainerActor(session.trainerAccountId);
		const issued = await issueCertificates(t.db, trainer, { occurrenceId: session.occurrenceId });
		if (!issued.ok) throw new Error(issued.reason);
		const cert = await t.db
			.selectFrom('certificate')
			.selectAll()
			.where('id', '=', issued.issued[0]!.certificateId)
			.executeTakeFirstOrThrow();
		expect(await verifyByCode(t.db, cert.verification_code, 'zh-CN')).toMatchObject({
			found: true,
			status: 'valid',
			name: '欧阳*明',
			number: cert.number,
			validUntil: '2028-11-30'
		});
		expect(await verifyByNumber(t.db, { number: cert.number.toLowerCase(), familyName: '欧阳' }, 'en')).toMatchObject({
			status: 'valid',
			name: '欧阳*明'
		});
		expect(await verifyByNumber(t.db, { number: cert.number, familyName: '王' }, 'en')).toEqual({ found: false, status: 'unknown' });
		const typo = cert.number.slice(0, 12) + ((Number(cert.number[12]) + 1) % 10) + cert.number.slice(13);
		expect(await verifyByNumber(t.db, { number: typo, familyName: '欧阳' }, 'en')).toEqual({ found: false, status: 'mistyped' });
		expect(await verifyByCode(t.db, 'a'.repeat(32), 'en')).toEqual({ found: false, status: 'unknown' });

		setClock(fixedClock(shanghaiInstant('2028-11-30', '23:00')));
		expect((await verifyByCode(t.db, cert.verification_code, 'en')).status).toBe('valid');
		setClock(fixedClock(shanghaiInstant('2028-12-01', '00:30')));
		expect((await verifyByCode(t.db, cert.verification_code, 'en')).status).toBe('expired');
		setClock(fixedClock(shanghaiInstant('2026-11-27', '10:00')));

		const other = await createAccount(t.db, { roles: ['trainer'] });
		expect(await revokeCertificate(t.db, trainerActor(other.accountId), cert.id, '误发')).toEqual({ ok: false, reason: 'forbidden' });
		expect(await revokeCertificate(t.db, trainer, cert.id, '姓名有误')).toEqual({ ok: true });
		expect((await verifyByCode(t.db, cert.verification_code, 'en')).status).toBe('revoked');
		const audits = await t.db
			.selectFrom('audit_log')
			.select('action')
			.where('subject_type', '=', 'certificate')
			.where('subject_id', '=', String(cert.id))
			.execute();
		expect(audits.map((a) => a.action)).toContain('certificate.revoke');
		// The holder hears of it, with the reason.
		const told = await t.db
			.selectFrom('notification')
			.select(['kind', 'params', 'link'])
			.where('person_id', '=', cert.person_id)
			.where('kind', '=', 'certificate_revoked')
			.execute();
		expect(told).toHaveLength(1);
		expect(told[0]!.params).toMatchObject({ number: cert.number, reason: '姓名有误' });
		expect(told[0]!.link).toBe('/me/certificates');

		const again = await reissueCertificate(t.db, trainer, cert.id);
		if (!again.ok) throw new Error(again.reason);
		const fresh = await t.db
			.selectFrom('certificate')
			.selectAll()
			.where('id', '=', again.issued[0]!.certificateId)
			.executeTakeFirstOrThrow();
		expect(fresh.replaces_id).toBe(cert.id);
		expect(fresh.number).not.toBe(cert.number);
		expect(await verifyByCode(t.db, cert.verification_code, 'en')).toMatchObject({ status: 'revoked', replacedBy: fresh.number });

		const logged = await t.db
			.selectFrom('certificate_lookup')
			.select(['method', 'query', 'result'])
			.where('certificate_id', '=', cert.id)
			.execute();
		expect(logged.length).toBeGreaterThanOrEqual(5);
		expect(JSON.stringify(await t.db.selectFrom('certificate_lookup').selectAll().execute())).not.toContain('欧阳');
	});
});

describe('certificates for staff', () => {
	it('are found by number, name or phone only within the staff member’s communities', async () => {
		const { session, enrolled } = await finishedClass([{ attended: true, passed: true, familyName: '司马', givenName: '小芳' }]);
		await t.db.updateTable('person').set({ phone: '13912345678' }).where('id', '=', enrolled[0]!.personId).execute();
		const issued = await issueCertificates(t.db, trainerActor(session.trainerAccountId), { occurrenceId: session.occurrenceId });
		if (!issued.ok) throw new Error(issued.reason);
		const { certificateId, number } = issued.issued[0]!;
		const here = { accountId: null, roles: [{ role: 'staff' as const, communityId: session.communityId }] };
		const elsewhere = { accountId: null, roles: [{ role: 'staff' as const, communityId: session.communityId + 1000 }] };
		const numbers = async (actor: typeof here, q: string) => {
			const found = await findCertificates(t.db, actor, q, 'zh-CN');
			return found.ok ? found.certificates.map((c) => c.number) : found.reason;
		};
		expect(await numbers(here, number.toLowerCase().replaceAll('-', ' '))).toEqual([number]);
		expect(await numbers(here, '司马小')).toEqual([number]);
		expect(await numbers(here, '139 1234')).toEqual([number]);
		const typo = number.slice(0, 12) + ((Number(number[12]) + 1) % 10) + number.slice(13);
		expect(await numbers(here, typo)).toBe('mistyped');
		expect(await numbers(elsewhere, number)).toEqual([]);
		expect(await numbers(elsewhere, '司马小芳')).toEqual([]);

		const detail = await certificateForStaff(t.db, here, certificateId, 'en');
		expect(detail).toMatchObject({ number, holder: '司马小芳', status: 'valid', canReissue: false, replacedBy: null });
		expect(await certificateForStaff(t.db, elsewhere, certificateId, 'en')).toBeNull();
		expect(await revokeCertificate(t.db, elsewhere, certificateId, '不该撤销')).toEqual({ ok: false, reason: 'forbidden' });

		expect(await revokeCertificate(t.db, here, certificateId, '信息有误')).toEqual({ ok: true });
		expect(await certificateForStaff(t.db, here, certificateId, 'en')).toMatchObject({
			status: 'revoked',
			revokeReason: '信息有误',
			canReissue: true
		});
		const again = await reissueCertificate(t.db, here, certificateId);
		if (!again.ok) throw new Error(again.reason);
		expect(await certificateForStaff(t.db, here, certificateId, 'en')).toMatchObject({
			canReissue: false,
			replacedBy: again.issued[0]!.number
		});
		expect(await certificateForStaff(t.db, here, again.issued[0]!.certificateId, 'en')).toMatchObject({ replaces: number });
	});
});

describeConcurrent('two trainers issuing at once', () => {
	it('make exactly one certificate per enrolment', async () => {
		const { session } = await finishedClass(Array.from({ length: 5 }, () => ({ attended: true, passed: true })));
		const staffHere = { accountId: null, roles: [{ role: 'staff' as const, communityId: session.communityId }] };
		const results = await Promise.all([
			issueCertificates(t.db, trainerActor(session.trainerAccountId), { occurrenceId: session.occurrenceId }),
			issueCertificates(t.db, staffHere, { occurrenceId: session.occurrenceId }),
			issueCertificates(t.db, trainerActor(session.trainerAccountId), { occurrenceId: session.occurrenceId })
		]);
		expect(results.every((r) => r.ok)).toBe(true);
		const rows = await t.db.selectFrom('certificate').select(['reservation_id']).where('course_id', '=', session.courseId).execute();
		expect(rows).toHaveLength(5);
		expect(new Set(rows.map((r) => r.reservation_id)).size).toBe(5);
		const fresh = results.flatMap((r) => (r.ok ? r.issued.filter((i) => !i.existing) : []));
		expect(fresh).toHaveLength(5);
	});
});

describe('expiry reminders', () => {
	it('go out 90, 30 and 7 days before the end, each once, and not to someone with a newer certificate', async () => {
		const { session, enrolled } = await finishedClass([
			{ attended: true, passed: true },
			{ attended: true, passed: true }
		]);
		const issued = await issueCertificates(t.db, trainerActor(session.trainerAccountId), { occurrenceId: session.occurrenceId });
		if (!issued.ok) throw new Error(issued.reason);
		const [first] = issued.issued;
		// Valid until 30 November 2028. The second person has since taken a refresher: a newer one.
		const refresher = await createOccurrence(t.db, { programme: 'training', startsAt: shanghaiInstant('2026-12-20', '09:00') });
		const again = await reserve(t.db, {
			occurrenceId: refresher.id,
			personId: enrolled[1]!.personId,
			actor: { accountId: null, personId: enrolled[1]!.personId }
		});
		if (!again.ok) throw new Error(again.reason);
		await t.db
			.insertInto('certificate')
			.values({
				number: 'DM-FA-2026-999990-A',
				verification_code: 'z'.repeat(32),
				reservation_id: again.reservationId,
				person_id: enrolled[1]!.personId,
				course_id: session.courseId,
				holder_family_name: '王',
				holder_given_name: '秀英',
				trained_on: '2026-12-20',
				valid_until: '2028-12-31',
				issued_at: new Date()
			})
			.execute();
		const reminders = async () =>
			(
				await t.db
					.selectFrom('notification')
					.select(['person_id', 'params'])
					.where('kind', '=', 'certificate_expiring')
					.where('person_id', 'in', [enrolled[0]!.personId, enrolled[1]!.personId])
					.orderBy('id')
					.execute()
			).map((n) => [n.person_id, (n.params as { days: number }).days]);

		setClock(fixedClock(shanghaiInstant('2028-08-01', '10:00'))); // 121 days before: nothing yet
		await sendExpiryReminders(t.db);
		expect(await reminders()).toEqual([]);
		setClock(fixedClock(shanghaiInstant('2028-09-01', '10:00'))); // 90 days before
		await sendExpiryReminders(t.db);
		await sendExpiryReminders(t.db);
		expect((await reminders()).filter(([p]) => p === enrolled[0]!.personId)).toEqual([[enrolled[0]!.personId, 90]]);
		setClock(fixedClock(shanghaiInstant('2028-11-15', '10:00'))); // 15 days before: the 30-day one, once
		await sendExpiryReminders(t.db);
		setClock(fixedClock(shanghaiInstant('2028-11-25', '10:00'))); // 5 days before: the 7-day one
		await sendExpiryReminders(t.db);
		await sendExpiryReminders(t.db);
		// The second person hears only about the newer certificate (ending 31 December 2028): its
		// 90-day reminder on 15 November, 46 days before.
		expect(await reminders()).toEqual([
			[enrolled[0]!.personId, 90],
			[enrolled[1]!.personId, 46],
			[enrolled[0]!.personId, 15],
			[enrolled[0]!.personId, 5]
		]);
		const rows = await t.db
			.selectFrom('certificate_reminder')
			.select('days_before')
			.where('certificate_id', '=', first!.certificateId)
			.execute();
		expect(rows.map((r) => r.days_before).sort((a, b) => a - b)).toEqual([7, 30, 90]);

		// What "my certificates" and the home page call expiring soon, on 15 November 2028: the first
		// person's only certificate; for the second, the newer one — the older is already renewed.
		setClock(fixedClock(shanghaiInstant('2028-11-15', '10:00')));
		const soon = async (personId: number) =>
			(await myCertificates(t.db, personId, 'zh-CN')).map((c) => [c.validUntil, c.status, c.expiresSoon]);
		expect(await soon(enrolled[0]!.personId)).toEqual([['2028-11-30', 'valid', true]]);
		expect(await soon(enrolled[1]!.personId)).toEqual([
			['2028-12-31', 'valid', true],
			['2028-11-30', 'valid', false]
		]);
		setClock(fixedClock(shanghaiInstant('2028-08-01', '10:00'))); // 121 days before the first: not yet
		expect(await soon(enrolled[0]!.personId)).toEqual([['2028-11-30', 'valid', false]]);
	});
});
