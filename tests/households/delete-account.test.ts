/** "Delete my account": nothing that names the person is left anywhere, and the counts stay. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { authenticate } from '../../src/lib/server/auth/accounts';
import { rateLimit } from '../../src/lib/server/auth/throttle';
import { verifyByCode, verifyByNumber } from '../../src/lib/server/certificates/verify';
import { shanghaiDate } from '../../src/lib/server/clock';
import { dashboard } from '../../src/lib/server/participation/dashboard';
import { deleteAccount } from '../../src/lib/server/privacy/erase';
import { describeOnPostgres } from '../helpers/concurrency';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount } from '../helpers/factories';
import { Client } from '../helpers/http';
import { startServer, type ServerProcess } from '../helpers/servers';
import { residentWithHistory } from './life';

let t: TestDatabase;
let server: ServerProcess | undefined;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(async () => {
	await server?.stop();
	await t?.close();
});

/** Every text and JSON column of every table, read as text, that contains `needle`. */
async function whereFound(needle: string): Promise<string[]> {
	const columns = await sql<{ table: string; column: string }>`
		SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
		WHERE table_schema = current_schema() AND data_type IN ('text', 'json', 'jsonb', 'ARRAY', 'character varying')`.execute(t.db);
	const found: string[] = [];
	for (const c of columns.rows) {
		const hit = await sql<{
			n: number;
		}>`SELECT count(*)::int AS n FROM ${sql.table(c.table)} WHERE strpos(${sql.ref(c.column)}::text, ${needle}) > 0`.execute(t.db);
		if (hit.rows[0]!.n > 0) found.push(`${c.table}.${c.column}`);
	}
	return found;
}

it('asks for the password again and changes nothing when it is wrong', async () => {
	const life = await residentWithHistory(t.db);
	expect(await deleteAccount(t.db, life.me.accountId, 'not my password')).toEqual({ ok: false, reason: 'wrong-password' });
	expect(await t.db.selectFrom('account').select('id').where('id', '=', life.me.accountId).executeTakeFirst()).toBeDefined();
});

it('erases names, phone, e-mail and reasons everywhere, ends sessions, frees future places and keeps the counts', async () => {
	const life = await residentWithHistory(t.db);
	// Before: the given name, phone, e-mail and reason are in many places (the full name is only ever
	// stored in two columns, yet it is scanned for afterwards too).
	for (const secret of life.secrets.slice(1)) expect((await whereFound(secret)).length, secret).toBeGreaterThan(0);
	const countsBefore = await sql<{ status: string; n: number }>`
		SELECT status, count(*)::int AS n FROM reservation WHERE person_id = ${life.me.personId} GROUP BY status ORDER BY status`.execute(t.db);
	const certificatesBefore = await t.db.selectFrom('certificate').select('id').execute();
	// The district dashboard's training figures of the month the class was held (yesterday).
	const month = shanghaiDate(new Date(Date.now() - 24 * 60 * 60_000)).slice(0, 7);
	const training = async () =>
		(await dashboard(t.db, { from: month, to: month, communityId: null, communities: null, communityCode: 'all' })).filter(
			(r) => r.programme === 'training'
		);
	const trainingBefore = await training();
	expect(trainingBefore.reduce((a, r) => a + r.attended, 0)).toBeGreaterThanOrEqual(1);

	const result = await deleteAccount(t.db, life.me.accountId, life.me.password);
	expect(result).toEqual({ ok: true, cancelled: 2 });

	for (const secret of life.secrets) expect(await whereFound(secret), secret).toEqual([]);
	expect(await t.db.selectFrom('account').select('id').where('id', '=', life.me.accountId).executeTakeFirst()).toBeUndefined();
	expect(await t.db.selectFrom('session').select('id').where('account_id', '=', life.me.accountId).execute()).toEqual([]);
	const person = await t.db.selectFrom('person').selectAll().where('id', '=', life.me.personId).executeTakeFirstOrThrow();
	expect(person).toMatchObject({ phone: null, email: null, birth_year: null, display_name: null });
	expect(person.erased_at).toBeInstanceOf(Date);

	// Future places cancelled; the one behind in the fitness line is offered the place.
	const waiting = await t.db.selectFrom('reservation').select('status').where('id', '=', life.waitingId).executeTakeFirstOrThrow();
	expect(waiting.status).toBe('offered');
	const countsAfter = await sql<{ n: number }>`SELECT count(*)::int AS n FROM reservation WHERE person_id = ${life.me.personId}`.execute(
		t.db
	);
	expect(countsAfter.rows[0]!.n).toBe(countsBefore.rows.reduce((a, r) => a + r.n, 0));
	const attended = await t.db
		.selectFrom('reservation')
		.select('status')
		.where('person_id', '=', life.me.personId)
		.where('status', '=', 'attended')
		.execute();
	expect(attended).toHaveLength(countsBefore.rows.find((r) => r.status === 'attended')?.n ?? 0);
	expect(await t.db.selectFrom('certificate').select('id').execute()).toHaveLength(certificatesBefore.length);
	expect(await training()).toEqual(trainingBefore);

	// The certificate verifies as "holder removed", by code and by number.
	const cert = await t.db
		.selectFrom('certificate')
		.select(['number', 'verification_code'])
		.where('person_id', '=', life.me.personId)
		.executeTakeFirstOrThrow();
	expect(await verifyByCode(t.db, cert.verification_code, 'zh-CN')).toEqual({ found: false, status: 'holder_removed' });
	expect(await verifyByNumber(t.db, { number: cert.number, familyName: '欧阳' }, 'en')).toEqual({ found: false, status: 'holder_removed' });

	// Household links end, kept as history; the audit says the account was deleted, not by whom.
	const links = await t.db
		.selectFrom('household_link')
		.select('valid_to')
		.where((eb) => eb.or([eb('carer_person_id', '=', life.me.personId), eb('member_person_id', '=', life.me.personId)]))
		.execute();
	expect(links.length).toBe(2);
	expect(links.every((l) => l.valid_to !== null)).toBe(true);
	const audited = await t.db.selectFrom('audit_log').select('action').where('subject_id', '=', String(life.me.personId)).execute();
	expect(audited.map((a) => a.action)).toContain('account.delete');
});

it('deletes two people in a row who both mistyped their password and asked for a reset (their counters go, nobody else’s)', async () => {
	const people = [await createAccount(t.db, { email: `a.${Date.now()}@example.com` }), await createAccount(t.db)];
	for (const p of people) {
		// What /login and /reset leave behind: a failure counted per log-in name, a reset counted per log-in name.
		expect(await authenticate(t.db, p.login, 'not my password', '203.0.113.9')).toEqual({ ok: false, reason: 'invalid' });
		expect(await rateLimit(t.db, `reset:login:${p.login}`, 3, 60 * 60_000)).toEqual({ ok: true });
		if (p.person.email) await rateLimit(t.db, `reset:login:${p.person.email}`, 3, 60 * 60_000);
	}
	const keys = async () => (await t.db.selectFrom('throttle').select('key').orderBy('key').execute()).map((r) => r.key);
	expect(await keys()).toEqual(expect.arrayContaining(['login:account:' + people[1]!.login, 'login:address:203.0.113.9']));

	for (const p of people) expect(await deleteAccount(t.db, p.accountId, p.password)).toEqual({ ok: true, cancelled: 0 });

	const left = await keys();
	for (const p of people) for (const secret of [p.login, p.person.email ?? p.login]) expect(left.join(' ')).not.toContain(secret);
	expect(left).not.toContain('login:account:[erased]');
	// The address's counter is nobody's: it stays and keeps counting.
	expect(left).toContain('login:address:203.0.113.9');
});

describeOnPostgres('deleting an account through the page', () => {
	it("ends the session, and neither the server's log nor its cached pages hold the person's data afterwards", async () => {
		server = await startServer({ databaseUrl: t.url!, env: { WORKER_INTERVAL_SECONDS: '1', LOG_LEVEL: 'debug' } });
		const life = await residentWithHistory(t.db);
		const client = new Client(server.url);
		expect((await client.login(life.me.login, life.me.password)).status).toBe(303);
		// The pages the portal keeps in its short-lived cache, and the person's own, read once before.
		const pages = ['/', '/fitness', '/training', '/doctors'];
		for (const page of [...pages, '/me/reservations', '/me/appointments', '/me/data/export.json'])
			expect((await client.get(page)).status, page).toBe(200);

		expect((await client.post('/me/data?/delete', { password: 'not my password', confirm: 'on' })).status).toBe(400);
		const deleted = await client.post('/me/data?/delete', { password: life.me.password, confirm: 'on' });
		expect(deleted.status).toBe(303);
		expect(deleted.headers.get('location')).toBe('/account/deleted');
		expect((await client.get('/me/reservations')).status).toBe(303);
		expect((await new Client(server.url).login(life.me.login, life.me.password)).status).not.toBe(303);

		const anonymous = new Client(server.url);
		for (const page of pages) {
			const html = await (await anonymous.get(page)).text();
			for (const secret of life.secrets) expect(html.includes(secret), `${page}: ${secret}`).toBe(false);
		}
		// Let the worker send what it had queued (it logs that a message went out, never to whom).
		await new Promise((r) => setTimeout(r, 2_500));
		const log = server.output();
		expect(log.length).toBeGreaterThan(0);
		for (const secret of life.secrets) expect(log.includes(secret), `log: ${secret}`).toBe(false);
	});
});
