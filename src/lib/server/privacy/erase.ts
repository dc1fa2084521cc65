/**
 * "Delete my account": the account goes (and with it every session, role and link);
 * the person row stays so statistics keep their counts, but its personal data is gone. Future
 * places are cancelled through the booking core (freed places go to the waiting list); the
 * person's names, phone and e-mail are then wiped from every text and JSON column of every table
 * (outbox payloads, audit details, notices…), found through the catalogue.
 */
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit';
import { verifyPassword } from '../auth/password';
import { cancelIn } from '../booking/reservations';
import { now } from '../clock';
import type { Database } from '../db/schema';
import { keyTextColumns, textColumns } from './catalogue';

export const ERASED = { familyName: '已注销', givenName: '用户' };
const WIPED = '[erased]';

export type EraseResult = { ok: true; cancelled: number } | { ok: false; reason: 'wrong-password' | 'has-duties' | 'not-found' };

export async function deleteAccount(db: Kysely<Database>, accountId: number, password: string): Promise<EraseResult> {
	const account = await db
		.selectFrom('account')
		.innerJoin('person', 'person.id', 'account.person_id')
		.select([
			'account.id',
			'account.person_id',
			'account.password_hash',
			'account.login_phone',
			'account.login_email',
			'person.family_name',
			'person.given_name',
			'person.display_name',
			'person.phone',
			'person.email'
		])
		.where('account.id', '=', accountId)
		.executeTakeFirst();
	if (!account) return { ok: false, reason: 'not-found' };
	if (!(await verifyPassword(account.password_hash, password))) return { ok: false, reason: 'wrong-password' };
	// Doctors, trainers and staff carry records of their work that name them: an admin handles those.
	const duties = await db
		.selectFrom('account_role')
		.select('role')
		.where('account_id', '=', accountId)
		.where('role', '!=', 'resident')
		.execute();
	if (duties.length > 0) return { ok: false, reason: 'has-duties' };
	const personId = account.person_id;
	const secrets = [
		`${account.family_name}${account.given_name}`,
		account.display_name,
		account.phone,
		account.email,
		account.login_phone,
		account.login_email
	].filter((s): s is string => !!s && [...s].length >= 2);

	return db.transaction().execute(async (trx) => {
		const actor = { accountId, personId };
		const future = await trx
			.selectFrom('reservation')
			.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
			.select('reservation.id')
			.where('reservation.person_id', '=', personId)
			.where('reservation.status', 'in', ['reserved', 'waitlisted', 'offered'])
			.where('occurrence.starts_at', '>', now())
			.execute();
		for (const r of future) await cancelIn(trx, { reservationId: r.id, actor, onBehalf: true, reason: 'account_deleted', notify: false });

		const mine = trx.selectFrom('reservation').select('id').where('person_id', '=', personId);
		await trx.updateTable('appointment').set({ reason: null }).where('reservation_id', 'in', mine).execute();
		await trx.updateTable('training_assessment').set({ note: null }).where('reservation_id', 'in', mine).execute();
		await trx
			.updateTable('certificate')
			.set({ holder_family_name: ERASED.familyName, holder_given_name: ERASED.givenName })
			.where('person_id', '=', personId)
			.execute();
		await trx.deleteFrom('notification').where('person_id', '=', personId).execute();
		await trx.deleteFrom('outbox').where('person_id', '=', personId).execute();
		await trx
			.updateTable('calendar_feed')
			.set({ revoked_at: now() })
			.where('person_id', '=', personId)
			.where('revoked_at', 'is', null)
			.execute();
		await trx
			.updateTable('household_link')
			.set({ valid_to: now() })
			.where((eb) => eb.or([eb('carer_person_id', '=', personId), eb('member_person_id', '=', personId)]))
			.where('valid_to', 'is', null)
			.execute();
		await trx
			.updateTable('person')
			.set({
				family_name: ERASED.familyName,
				given_name: ERASED.givenName,
				display_name: null,
				phone: null,
				email: null,
				birth_year: null,
				erased_at: now(),
				updated_at: now()
			})
			.where('id', '=', personId)
			.execute();
		// The account goes: sessions, roles and password links with it (foreign keys cascade).
		await trx.deleteFrom('account').where('id', '=', accountId).execute();
		await forgetThrottles(trx, secrets);
		await wipeEverywhere(trx, secrets);
		await audit(trx, { actorAccountId: null, action: 'account.delete', subjectType: 'person', subjectId: personId });
		return { ok: true as const, cancelled: future.length };
	});
}

/**
 * Log-in and reset counters are keyed by what was typed to log in (`login:account:<phone>`,
 * `reset:login:<e-mail>`…): they go, rather than being rewritten into the primary key, where two
 * erased people would collide. Counters per client address are nobody's and stay.
 */
async function forgetThrottles(trx: Kysely<Database>, secrets: string[]): Promise<void> {
	const logins = [...new Set(secrets.map((s) => s.trim().toLowerCase()))];
	await trx
		.deleteFrom('throttle')
		.where(sql<string>`substring(key from '^[^:]*:[^:]*:(.*)$')`, 'in', logins)
		.where(sql<string>`split_part(key, ':', 2)`, '!=', 'address')
		.execute();
}

/**
 * Replaces each secret in every text and JSON column of every table (one statement per column and
 * secret). Key and unique columns are left alone: rewriting them could collide (the only one that
 * holds what a person typed, the throttle's key, is emptied by forgetThrottles first).
 */
async function wipeEverywhere(trx: Kysely<Database>, secrets: string[]): Promise<void> {
	const keys = await keyTextColumns(trx);
	for (const { table, column, type } of await textColumns(trx)) {
		// The person's own row is already cleared; another person's record is theirs, not this one's.
		if (type === 'text[]' || table === 'person' || table === 'account' || keys.has(`${table}.${column}`)) continue;
		for (const secret of secrets) {
			const value = type === 'text' ? sql.ref(column) : sql`${sql.ref(column)}::text`;
			const replaced = sql`replace(${value}, ${secret}, ${WIPED})`;
			await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${type === 'text' ? replaced : sql`${replaced}::${sql.raw(type)}`}
				WHERE strpos(${value}, ${secret}) > 0`.execute(trx);
		}
	}
}
