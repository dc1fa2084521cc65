/** "My data": every row that points at the person or their account, found by walking the catalogue, is in the export. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { unzipSync, strFromU8 } from 'fflate';
import { audit } from '../../src/lib/server/audit';
import { collectPersonalData, csvBundle, plainRow } from '../../src/lib/server/privacy/export';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount } from '../helpers/factories';
import { residentWithHistory } from './life';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(async () => {
	await t?.close();
});

it("holds every row of every table that references the person or the person's account", async () => {
	const life = await residentWithHistory(t.db);
	const data = await collectPersonalData(t.db, life.me.personId);
	// The catalogue, walked here on its own (not through the code under test).
	const fks = await sql<{ table: string; column: string; target: string }>`
		SELECT kcu.table_name AS "table", kcu.column_name AS "column", ccu.table_name AS target
		FROM information_schema.table_constraints tc
		JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
		JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
		WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND ccu.table_name IN ('person', 'account')`.execute(t.db);
	expect(fks.rows.length).toBeGreaterThan(15);
	const ids: Record<string, number> = { person: life.me.personId, account: life.me.accountId };
	let checked = 0;
	const tablesWithRows = new Set<string>();
	for (const fk of fks.rows) {
		const rows = await sql<
			Record<string, unknown>
		>`SELECT * FROM ${sql.table(fk.table)} WHERE ${sql.ref(fk.column)} = ${ids[fk.target]}`.execute(t.db);
		for (const row of rows.rows) {
			expect(data.tables[fk.table], `${fk.table}.${fk.column}`).toContainEqual(plainRow(row));
			checked++;
			tablesWithRows.add(fk.table);
		}
	}
	// The life above touches most of the schema; the export is not passing by emptiness.
	expect([...tablesWithRows]).toEqual(
		expect.arrayContaining([
			'account',
			'account_role',
			'audit_log',
			'calendar_feed',
			'certificate',
			'community_membership',
			'household_link',
			'notification',
			'one_time_token',
			'outbox',
			'reservation',
			'session'
		])
	);
	expect(checked).toBeGreaterThan(20);
	expect(data.tables.person).toEqual([
		plainRow((await sql<Record<string, unknown>>`SELECT * FROM person WHERE id = ${life.me.personId}`.execute(t.db)).rows[0]!)
	]);
	// Rows hanging off the person's reservations come along (the appointment with its reason).
	expect(data.tables.appointment?.some((a) => a.reservation_id === life.appointmentId)).toBe(true);
	// No secrets: hashes of passwords, sessions, links and feeds stay out.
	expect(JSON.stringify(data)).not.toMatch(/password_hash|secret_hash|token_hash|\$argon2/);
});

it('holds what others did about the person: who viewed their record, asked for a link to their account, issued their certificate', async () => {
	const life = await residentWithHistory(t.db);
	const other = await residentWithHistory(t.db);
	const staff = await createAccount(t.db, { roles: ['resident', { role: 'staff', communityId: null }] });
	// As /staff/people/<id> records a view of the record.
	for (const personId of [life.me.personId, other.me.personId]) {
		await audit(t.db, { actorAccountId: staff.accountId, action: 'person.view', subjectType: 'person', subjectId: personId });
	}
	const data = await collectPersonalData(t.db, life.me.personId);
	const about = (data.tables.audit_log ?? []).filter((a) => a.actor_account_id !== life.me.accountId);
	const seen = about.map((a) => [a.action, a.actor_account_id, a.subject_type, a.subject_id]);
	expect(seen).toContainEqual(['person.view', staff.accountId, 'person', String(life.me.personId)]);
	// The reset link asked for at /reset (by nobody signed in) and the trainer's certificate.
	expect(seen).toContainEqual(['account.password_reset_requested', null, 'account', String(life.me.accountId)]);
	expect(seen).toContainEqual(['certificate.issue', expect.any(Number), 'certificate', String(life.certificate.certificateId)]);
	// Nothing about the other resident.
	const theirs = [String(other.me.personId), String(other.me.accountId)];
	expect(about.filter((a) => ['person', 'account'].includes(String(a.subject_type)) && theirs.includes(String(a.subject_id)))).toEqual([]);
});

it('gives the same rows as CSV files in a ZIP, Excel-ready and safe from formulas', async () => {
	const life = await residentWithHistory(t.db);
	const data = await collectPersonalData(t.db, life.me.personId);
	const files = unzipSync(csvBundle(data));
	expect(Object.keys(files).sort()).toEqual(
		Object.keys(data.tables)
			.map((k) => `${k}.csv`)
			.sort()
	);
	expect([...files['person.csv']!.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const person = strFromU8(files['person.csv']!);
	expect(person).toContain(life.me.person.given_name);
	expect(strFromU8(files['reservation.csv']!).split('\r\n').filter(Boolean).length).toBe(data.tables.reservation!.length + 1);
});
