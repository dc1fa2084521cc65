/**
 * A resident with a bit of everything: an account and sessions, a calendar feed, a family member,
 * a link to a carer, a doctor appointment with a reason, a fitness place with someone waiting
 * behind them, a first-aid certificate, notices and outbox messages, audit entries and a password
 * link. The export and erasure tests share it.
 */
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createSession } from '../../src/lib/server/auth/session';
import { requestPasswordReset } from '../../src/lib/server/auth/links';
import { reserve } from '../../src/lib/server/booking/reservations';
import { createFeed } from '../../src/lib/server/calendar/feed';
import { issueCertificates } from '../../src/lib/server/certificates/issue';
import type { Database } from '../../src/lib/server/db/schema';
import { book } from '../../src/lib/server/doctors/appointments';
import { nearestFree } from '../../src/lib/server/doctors/slots';
import { addMember, answerRequest, requestLink } from '../../src/lib/server/households/households';
import { passedClass } from '../certificates/helpers';
import { studioWithDoctor } from '../doctors/setup';
import { createAccount, createOccurrence } from '../helpers/factories';

export async function residentWithHistory(db: Kysely<Database>) {
	const n = randomInt(100_000, 999_999);
	const me = await createAccount(db, { familyName: '欧阳', givenName: `梦蝶${n}`, email: `mengdie.${n}@example.com` });
	const actor = { accountId: me.accountId, personId: me.personId };
	await createSession(db, me.accountId);
	await createFeed(db, me.personId);
	const memberId = await addMember(db, actor, {
		familyName: '欧阳',
		givenName: `老爷${n}`,
		displayName: null,
		birthYear: 1940,
		phone: null
	});
	const carer = await createAccount(db);
	await requestLink(db, { accountId: carer.accountId, personId: carer.personId }, { phone: me.person.phone, email: null });
	const request = await db.selectFrom('household_link').select('id').where('member_person_id', '=', me.personId).executeTakeFirstOrThrow();
	await answerRequest(db, actor, request.id, true);

	// A fitness place far ahead, with someone waiting behind.
	const fitness = await createOccurrence(db, { capacity: 1, startsAt: new Date(Date.now() + 3 * 24 * 60 * 60_000) });
	const mine = await reserve(db, { occurrenceId: fitness.id, personId: me.personId, actor });
	const waiter = await createAccount(db);
	const waiting = await reserve(db, {
		occurrenceId: fitness.id,
		personId: waiter.personId,
		actor: { accountId: waiter.accountId, personId: waiter.personId }
	});
	if (!mine.ok || !waiting.ok || waiting.status !== 'waitlisted') throw new Error('setup: fitness');

	// A doctor appointment with a reason only the doctor should read.
	const { doctor } = await studioWithDoctor(db);
	// Near a day six days ahead: the nearest free times are then never on the fitness place's day (three
	// days ahead), which they could overlap (a Saturday's nearest are the Friday before).
	const [slot] = await nearestFree(db, doctor.id, new Date(Date.now() + 6 * 24 * 60 * 60_000));
	const appointment = await book(db, {
		doctorId: doctor.id,
		start: slot!.start,
		service: 'consultation',
		reason: `头晕${n}`,
		personId: me.personId,
		actor
	});
	if (!appointment.ok) throw new Error(`setup: appointment ${appointment.reason}`);

	// A first-aid certificate: a passed class whose one trainee becomes this person.
	const { session, trainees } = await passedClass(db, 1);
	await db.updateTable('reservation').set({ person_id: me.personId }).where('id', '=', trainees[0]!.reservationId).execute();
	const issued = await issueCertificates(
		db,
		{ accountId: session.trainerAccountId, roles: [{ role: 'trainer', communityId: null }] },
		{
			occurrenceId: session.occurrenceId
		}
	);
	if (!issued.ok) throw new Error(`setup: certificate ${issued.reason}`);
	await requestPasswordReset(db, me.login, 'http://portal.test');

	return {
		me,
		memberId,
		carer,
		waiter,
		fitnessId: fitness.id,
		waitingId: waiting.reservationId,
		appointmentId: appointment.appointmentId,
		certificate: issued.issued[0]!,
		secrets: [me.person.family_name + me.person.given_name, me.person.given_name, me.person.phone!, me.person.email!, `头晕${n}`]
	};
}
