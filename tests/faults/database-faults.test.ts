/**
 * Database faults (issue #12 item 5), on a PostgreSQL cluster this file starts itself — never the
 * shared server. The real build serves on it under a modest load of pages and bookings; the
 * database is stopped mid-load (a crash: `pg_ctl stop -m immediate`) and started again. Then a
 * server is killed (SIGKILL) in the middle of a class certificate issue.
 *
 * What a user would notice: while the database is down every page answers at once with 503 and a
 * friendly page in both languages, /healthz says so; once it is back the same server serves again
 * by itself; no booking that was confirmed is missing and none is half-written; a class issue cut
 * short leaves no certificate at all, and issuing again completes it, once per trainee.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createSession } from '../../src/lib/server/auth/session';
import { openPostgres, type DatabaseHandle } from '../../src/lib/server/db/connect';
import { rebuildAggregates } from '../../src/lib/server/participation/rebuild';
import { issueForm, passedClass } from '../certificates/helpers';
import { clusterUnavailableReason, startCluster, type Cluster } from '../helpers/cluster';
import { createAccount, createCommunity, createOccurrence } from '../helpers/factories';
import { adminQuery, databaseUrl } from '../helpers/pg-admin';
import { startServer, type ServerProcess } from '../helpers/servers';
import { because } from '../setup/skip-reason';
import { enhancedFormHeaders } from '../helpers/http';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

function faultSuite(name: string, body: () => void): void {
	const reason = clusterUnavailableReason();
	if (process.env.HD_PGLITE_PASS) {
		// The PGlite-only pass of .ci/run: this suite runs on a cluster of its own, already run once.
		console.warn(`\n[tests] LEFT OUT in the PGlite-only pass (it ran in the PostgreSQL pass): ${name}\n`);
		describe.skip(name, because('the PGlite-only pass: the fault tests ran in the PostgreSQL pass'), body);
	} else if (!reason) {
		describe(name, body);
	} else if (process.env.CI) {
		describe(name, () => {
			it('needs PostgreSQL binaries to start a cluster of its own', () => {
				throw new Error(`The database fault tests are mandatory under CI, and ${reason}.`);
			});
		});
	} else {
		const bar = '!'.repeat(100);
		console.warn(`\n${bar}\nSKIPPED THE DATABASE FAULT TESTS: ${reason}.\n${bar}\n`);
		describe.skip(name, because(`needs PostgreSQL binaries for a cluster of its own: ${reason}`), body);
	}
}

let cluster: Cluster | undefined;
let url = '';
let t: DatabaseHandle;
const servers: ServerProcess[] = [];

async function serve(env: Record<string, string> = {}, application = 'faults'): Promise<ServerProcess> {
	const server = await startServer({ databaseUrl: `${url}?application_name=${application}`, env, timeoutMs: 120_000 });
	servers.push(server);
	onTestFailed(() => console.error(`\n--- server ${application} (pid ${server.pid}), last lines:\n${server.output().slice(-6000)}`));
	return server;
}

faultSuite('database faults on a PostgreSQL cluster of its own', () => {
	beforeAll(async () => {
		cluster = await startCluster();
		await adminQuery(cluster.url, 'CREATE DATABASE hd_faults');
		url = databaseUrl(cluster.url, 'hd_faults');
	}, 180_000);
	afterAll(async () => {
		await Promise.all(servers.map((s) => s.stop('SIGKILL')));
		await t?.close().catch(() => undefined);
		cluster?.destroy();
	}, 60_000);

	it('stopped mid-load: pages answer 503 at once, the server recovers by itself, no confirmed booking lost or half-written', async () => {
		const server = await serve({ WORKER_INTERVAL_SECONDS: '1' });
		t = openPostgres(url, 4);
		const community = await createCommunity(t.db);
		const sessions: Awaited<ReturnType<typeof createOccurrence>>[] = [];
		for (let i = 0; i < 5; i++) {
			sessions.push(await createOccurrence(t.db, { capacity: 8, startsAt: new Date(Date.now() + (26 + 2 * i) * 60 * 60_000) }));
		}
		const accounts: Awaited<ReturnType<typeof createAccount>>[] = [];
		for (let i = 0; i < 240; i++) accounts.push(await createAccount(t.db, { communityId: community.id }));
		const tokens = await Promise.all(accounts.map(async (a) => (await createSession(t.db, a.accountId)).token));
		const aggregatesBefore = await aggregates(t);

		type Outcome = { kind: string; started: number; ms: number; status: number | 'no answer'; retryAfter?: string | null; body?: string };
		const outcomes: Outcome[] = [];
		const confirmed: { reservationId: number; status: string; accountIndex: number; at: number }[] = [];
		let nextAccount = 0;
		const request = async (kind: string, path: string, init: RequestInit = {}): Promise<Outcome> => {
			const started = Date.now();
			let outcome: Outcome;
			try {
				const response = await fetch(`${server.url}${path}`, { ...init, redirect: 'manual', signal: AbortSignal.timeout(20_000) });
				const body = await response.text();
				outcome = {
					kind,
					started,
					ms: Date.now() - started,
					status: response.status,
					retryAfter: response.headers.get('retry-after'),
					body
				};
			} catch {
				outcome = { kind, started, ms: Date.now() - started, status: 'no answer' };
			}
			outcomes.push(outcome);
			return outcome;
		};
		const cookie = (i: number) => ({ cookie: `hd_session=${tokens[i]}` });
		// Accounts held back for bookings once the database is back: a quick machine would otherwise
		// use every account up before the outage ends, and "booking works again" would go untested.
		const HELD_BACK = 40;
		let nextLate = tokens.length - HELD_BACK;
		let healthyAt = 0;
		const book = async () => {
			const late = healthyAt > 0;
			const i = late ? nextLate++ : nextAccount++;
			if (i >= (late ? tokens.length : tokens.length - HELD_BACK)) return;
			const occurrence = sessions[i % sessions.length]!;
			const o = await request('book', `/occurrences/${occurrence.id}?/reserve`, {
				method: 'POST',
				headers: {
					...cookie(i),
					origin: server.url,
					accept: 'application/json',
					'x-sveltekit-action': 'true',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: ''
			});
			if (o.status !== 200) return;
			const result = JSON.parse(o.body!) as { type: string; data?: string };
			if (result.type !== 'success') return;
			// SvelteKit's devalue encoding: [{"booked":1,"position":2,"reservationId":3}, …values].
			const data = JSON.parse(result.data!) as unknown[];
			const keys = data[0] as Record<string, number>;
			confirmed.push({
				reservationId: data[keys.reservationId!] as number,
				status: data[keys.booked!] as string,
				accountIndex: i,
				at: o.started
			});
		};
		const step = async (n: number) => {
			const pick = n % 4;
			if (pick === 0) await book();
			else if (pick === 1) await request('home', '/', { headers: { accept: 'text/html' } });
			else if (pick === 2)
				await request('session page', `/occurrences/${sessions[n % sessions.length]!.id}`, {
					headers: { accept: 'text/html', ...cookie(n % tokens.length) }
				});
			else await request('my reservations', '/me/reservations', { headers: { accept: 'text/html', ...cookie(n % tokens.length) } });
		};
		let running = true;
		const load = Array.from({ length: 6 }, async (_, w) => {
			for (let n = w; running; n += 6) {
				await step(n);
				await sleep(40);
			}
		});

		await sleep(3_000);
		const stopAt = Date.now();
		cluster!.stop('immediate');
		const stoppedAt = Date.now();
		// Past the public timetable's 5-second cache, checked by hand as well: the health check, an
		// anonymous and a signed-in page.
		await sleep(6_000);
		const health = await request('healthz', '/healthz');
		const anonymous = await request('home', '/', { headers: { accept: 'text/html' } });
		const signedIn = await request('my reservations', '/me/reservations', { headers: { accept: 'text/html', ...cookie(0) } });
		const english = await request('home', '/', { headers: { accept: 'text/html', cookie: 'hd_lang=en' } });
		const livez = await request('livez', '/livez');
		const startAt = Date.now();
		cluster!.start();
		while (!healthyAt && Date.now() - startAt < 60_000) {
			const h = await fetch(`${server.url}/healthz`).catch(() => null);
			if (h?.status === 200) healthyAt = Date.now();
			else await sleep(100);
		}
		await sleep(3_000);
		running = false;
		await Promise.all(load);

		const slowest = (list: Outcome[]) => Math.max(0, ...list.map((o) => o.ms));
		const outage = outcomes.filter((o) => o.started >= stoppedAt && o.started < startAt);
		console.log(
			`[faults] ${outcomes.length} requests, ${outcomes.filter((o) => o.status === 503).length} answered 503; ` +
				`slowest while down ${slowest(outage)} ms, slowest overall ${slowest(outcomes)} ms; ` +
				`healthy again ${healthyAt ? healthyAt - startAt : 'never'} ms after the database started; ${confirmed.length} bookings confirmed`
		);
		expect(health.status).toBe(503);
		expect(JSON.parse(health.body!)).toMatchObject({ status: 'unavailable', database: 'unreachable' });
		expect(livez.status).toBe(200);
		for (const page of [anonymous, signedIn, english]) {
			expect(page.status).toBe(503);
			expect(page.retryAfter).toMatch(/^\d+$/);
			expect(page.body).toContain('服务暂时不可用');
			expect(page.body).toContain('Temporarily unavailable');
		}
		expect(anonymous.body).toMatch(/<html lang="zh-CN">/);
		expect(english.body).toMatch(/<html lang="en">/);

		// Every request got an answer, quickly while the database was away, and never a 500.
		const summary = ({ kind, started, ms, status }: Outcome) => ({ kind, at: started - stopAt, ms, status });
		expect(outcomes.filter((o) => o.status === 'no answer').map(summary)).toEqual([]);
		const statuses = new Set(outcomes.map((o) => o.status));
		expect([...statuses].filter((s) => s !== 200 && s !== 503)).toEqual([]);
		expect(outage.length).toBeGreaterThan(20);
		// The public home page may still come from its few seconds of cache; what reads the database is 503.
		expect(outage.filter((o) => o.kind !== 'livez' && o.kind !== 'home' && o.status !== 503).map(summary)).toEqual([]);
		expect(outage.filter((o) => o.kind === 'home' && o.status !== 503 && o.started > stoppedAt + 5_500).map(summary)).toEqual([]);
		expect(slowest(outage)).toBeLessThan(6_000);
		expect(slowest(outcomes)).toBeLessThan(15_000);
		const failedBookings = outcomes.filter((o) => o.kind === 'book' && o.status === 503);
		expect(failedBookings.length).toBeGreaterThan(0);
		for (const o of failedBookings) expect(JSON.parse(o.body!)).toMatchObject({ error: { unavailable: true } });

		// Back by itself within seconds of the database, same process, and everything answers again.
		expect(healthyAt).toBeGreaterThan(0);
		expect(healthyAt - startAt).toBeLessThan(10_000);
		expect(server.child.exitCode).toBeNull();
		const afterRecovery = outcomes.filter((o) => o.started >= healthyAt + 500);
		expect(afterRecovery.length).toBeGreaterThan(10);
		expect(afterRecovery.filter((o) => o.status !== 200).map(summary)).toEqual([]);
		expect(confirmed.filter((c) => c.at < stopAt).length).toBeGreaterThan(0);
		expect(confirmed.filter((c) => c.at > healthyAt).length).toBeGreaterThan(0);

		// No confirmed booking lost: each is there, as it was confirmed.
		const ids = confirmed.map((c) => c.reservationId);
		expect(ids.length).toBeGreaterThanOrEqual(4);
		const rows = await t.db
			.selectFrom('reservation')
			.select(['id', 'status', 'person_id', 'occurrence_id'])
			.where('id', 'in', ids)
			.execute();
		const byId = new Map(rows.map((r) => [r.id, r]));
		for (const c of confirmed) {
			expect(byId.get(c.reservationId)?.status, `reservation ${c.reservationId}`).toBe(c.status);
			expect(byId.get(c.reservationId)?.person_id).toBe(accounts[c.accountIndex]!.personId);
		}
		// None half-written: every reservation of these sessions (confirmed or not: a commit whose answer
		// was lost with the connection counts too) has its history entry, its notice and its message.
		const occurrenceIds = sessions.map((s) => s.id);
		const all = await t.db
			.selectFrom('reservation')
			.select(['id', 'person_id', 'status'])
			.where('occurrence_id', 'in', occurrenceIds)
			.execute();
		expect(all.length).toBeGreaterThanOrEqual(ids.length);
		const events = await t.db
			.selectFrom('reservation_event')
			.select(['reservation_id', 'from_status', 'to_status'])
			.where(
				'reservation_id',
				'in',
				all.map((r) => r.id)
			)
			.execute();
		for (const r of all) {
			expect(events.filter((e) => e.reservation_id === r.id)).toEqual([{ reservation_id: r.id, from_status: null, to_status: r.status }]);
		}
		const notices = await t.db
			.selectFrom('notification')
			.leftJoin('outbox', 'outbox.notification_id', 'notification.id')
			.select(['notification.person_id', 'notification.kind', 'outbox.id as outboxId'])
			.where('notification.kind', 'in', ['booking_reserved', 'booking_waitlisted'])
			.execute();
		expect(notices).toHaveLength(all.length);
		for (const r of all) {
			const mine = notices.filter((n) => n.person_id === r.person_id);
			expect(mine).toHaveLength(1);
			expect(mine[0]!.kind).toBe(r.status === 'reserved' ? 'booking_reserved' : 'booking_waitlisted');
			expect(mine[0]!.outboxId).not.toBeNull();
		}
		// Places: never more held than there are, and nobody waiting while a place is free.
		for (const s of sessions) {
			const counts = await t.db
				.selectFrom('reservation')
				.select(['status', ({ fn }) => fn.countAll<number>().as('n')])
				.where('occurrence_id', '=', s.id)
				.groupBy('status')
				.execute();
			const n = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
			expect(n('reserved')).toBeLessThanOrEqual(s.capacity);
			if (n('waitlisted') > 0) expect(n('reserved')).toBe(s.capacity);
		}
		// The participation figures the triggers kept are those a full recount gives.
		const kept = await aggregates(t);
		expect(kept).not.toEqual(aggregatesBefore);
		await rebuildAggregates(t.db);
		expect(await aggregates(t)).toEqual(kept);

		expect(server.output()).toContain('"event":"database_unavailable"');
		expect(server.output()).not.toMatch(PHONE);
	}, 240_000);

	it('a server killed during a class certificate issue leaves all or none, and issuing again completes it', async () => {
		t ??= openPostgres(url, 4);
		const size = 40;
		const { session, trainees } = await passedClass(t.db, size);
		const reservationIds = trainees.map((x) => x.reservationId);
		const token = (await createSession(t.db, session.trainerAccountId)).token;
		const issue = (server: ServerProcess) =>
			fetch(`${server.url}/trainer/sessions/${session.occurrenceId}/certificates?/issue`, {
				method: 'POST',
				headers: enhancedFormHeaders(server.url, token),
				body: issueForm(trainees).toString(),
				signal: AbortSignal.timeout(60_000)
			});
		const admin = new pg.Client({ connectionString: url });
		await admin.connect();
		const scalar = async (text: string, values: unknown[] = []) =>
			Number(Object.values((await admin.query(text, values)).rows[0] as object)[0]);
		const waitFor = async (what: string, check: () => Promise<boolean>) => {
			const deadline = Date.now() + 60_000;
			while (!(await check())) {
				if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
				await sleep(20);
			}
		};
		const backends = (application: string) => scalar(`SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, [application]);
		const written = async () => ({
			certificates: await scalar(`SELECT count(*) FROM certificate WHERE reservation_id = ANY($1)`, [reservationIds]),
			audits: await scalar(`SELECT count(*) FROM audit_log WHERE action = 'certificate.issue'`),
			notices: await scalar(`SELECT count(*) FROM notification WHERE kind = 'certificate_issued'`)
		});
		try {
			// 1. Deterministically mid-way: another transaction holds the 25th trainee's certificate row
			// (uncommitted), so the issue writes 24 certificates and waits there; then the server dies.
			const killed = await serve({ WORKER_INTERVAL_SECONDS: '0' }, 'faults-killed');
			const blocker = new pg.Client({ connectionString: url });
			await blocker.connect();
			try {
				await blocker.query('BEGIN');
				// Without triggers: the coverage figures they update are shared by the whole class.
				await blocker.query('SET LOCAL session_replication_role = replica');
				await blocker.query(
					`INSERT INTO certificate (number, verification_code, reservation_id, person_id, course_id, holder_family_name,
						holder_given_name, trained_on, valid_until, issued_at)
					SELECT 'HOLD', repeat('h', 32), r.id, r.person_id, $2, 'x', 'y', current_date, current_date, now()
					FROM reservation r WHERE r.id = $1`,
					[reservationIds[24], session.courseId]
				);
				const before = await scalar(`SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM certificate_number_seq`);
				const answer = issue(killed).then(
					(r) => r.status,
					() => 'no answer' as const
				);
				await waitFor(
					'the issue to wait on the held row',
					async () =>
						(await scalar(`SELECT count(*) FROM pg_stat_activity WHERE application_name = 'faults-killed' AND wait_event_type = 'Lock'`)) >
						0
				);
				// 25 numbers drawn (sequences are not transactional): 24 certificates written, uncommitted, the 25th waiting.
				expect((await scalar(`SELECT last_value FROM certificate_number_seq`)) - before).toBe(25);
				await killed.stop('SIGKILL');
				expect(await answer).toBe('no answer');
			} finally {
				await blocker.query('ROLLBACK').catch(() => undefined);
				await blocker.end();
			}
			await waitFor('the killed server’s connections to end', async () => (await backends('faults-killed')) === 0);
			expect(await written()).toEqual({ certificates: 0, audits: 0, notices: 0 });

			// 2. Killed at whatever point the issue has reached once it has started numbering: all or none.
			const racing = await serve({ WORKER_INTERVAL_SECONDS: '0' }, 'faults-racing');
			const start = await scalar(`SELECT last_value FROM certificate_number_seq`);
			const answer = issue(racing).then(
				(r) => r.status,
				() => 'no answer' as const
			);
			await waitFor('the issue to start numbering', async () => (await scalar(`SELECT last_value FROM certificate_number_seq`)) > start);
			await racing.stop('SIGKILL');
			const status = await answer;
			await waitFor('the killed server’s connections to end', async () => (await backends('faults-racing')) === 0);
			const after = await written();
			expect([0, size]).toContain(after.certificates);
			expect(after).toEqual({ certificates: after.certificates, audits: after.certificates, notices: after.certificates });
			if (status === 200) expect(after.certificates).toBe(size);

			// 3. Issued again on a fresh server: complete, one live certificate per trainee, no duplicate.
			const fresh = await serve({ WORKER_INTERVAL_SECONDS: '0' }, 'faults-fresh');
			const response = await issue(fresh);
			expect(response.status).toBe(200);
			const result = (await response.json()) as { type: string; data: string };
			expect(result.type).toBe('success');
			expect(Number(JSON.parse(result.data)[1])).toBe(size - after.certificates);
			const certificates = await t.db
				.selectFrom('certificate')
				.select(['reservation_id', 'number', 'revoked_at'])
				.where('reservation_id', 'in', reservationIds)
				.execute();
			expect(certificates).toHaveLength(size);
			expect(new Set(certificates.map((c) => c.reservation_id)).size).toBe(size);
			expect(new Set(certificates.map((c) => c.number)).size).toBe(size);
			expect(certificates.every((c) => c.revoked_at === null)).toBe(true);
			expect(await written()).toEqual({ certificates: size, audits: size, notices: size });
			const again = await issue(fresh);
			expect(Number(JSON.parse(((await again.json()) as { data: string }).data)[1])).toBe(0);
			expect((await written()).certificates).toBe(size);
		} finally {
			await admin.end();
		}
	}, 240_000);
});

/** The participation aggregate tables, in a stable order. */
async function aggregates(handle: DatabaseHandle) {
	const people = await sql`SELECT person_id, month, programme, community_id, made, attended, no_show, late_cancelled, waitlisted
		FROM participation_person_month WHERE made <> 0 OR waitlisted <> 0 ORDER BY 1, 2, 3, 4`.execute(handle.db);
	const months = await sql`SELECT month, community_id, programme, sum(made) AS made, sum(participants) AS participants,
		sum(waitlisters) AS waitlisters, sum(places) AS places FROM participation_month GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`.execute(handle.db);
	return { people: people.rows, months: months.rows };
}
