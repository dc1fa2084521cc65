import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../src/lib/server/auth/accounts';
import { createSetPasswordLink, findLink, requestPasswordReset, usePasswordLink } from '../../src/lib/server/auth/links';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { fixedClock, resetClock, setClock } from '../../src/lib/server/clock';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createAccount } from '../helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());
afterEach(() => resetClock());

const ORIGIN = 'https://portal.test';

async function lastLinkSentTo(personId: number): Promise<string> {
	const row = await t.db
		.selectFrom('outbox')
		.select(['payload', 'channel', 'kind'])
		.where('person_id', '=', personId)
		.orderBy('id', 'desc')
		.executeTakeFirstOrThrow();
	const link = (row.payload as { link: string }).link;
	expect(link.startsWith(`${ORIGIN}/reset/`)).toBe(true);
	return link.slice(`${ORIGIN}/reset/`.length);
}

describe('password reset links', () => {
	it('go out by SMS to the account that asked, and are never in the inbox', async () => {
		const a = await createAccount(t.db);
		await requestPasswordReset(t.db, a.login, ORIGIN);
		const rows = await t.db
			.selectFrom('outbox')
			.select(['channel', 'address', 'kind', 'notification_id'])
			.where('person_id', '=', a.personId)
			.execute();
		expect(rows).toEqual([{ channel: 'sms', address: a.login, kind: 'password_reset', notification_id: null }]);
		const inbox = await t.db.selectFrom('notification').select('id').where('person_id', '=', a.personId).execute();
		expect(inbox).toEqual([]);
	});

	it('send nothing for an unknown log-in, without any error', async () => {
		const before = await t.db
			.selectFrom('outbox')
			.select(({ fn }) => fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		await requestPasswordReset(t.db, '13999999999', ORIGIN);
		await requestPasswordReset(t.db, 'nobody@example.com', ORIGIN);
		await requestPasswordReset(t.db, 'not a login', ORIGIN);
		const after = await t.db
			.selectFrom('outbox')
			.select(({ fn }) => fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow();
		expect(Number(after.n)).toBe(Number(before.n));
	});

	it('work once, set the password and end every session of the account', async () => {
		const a = await createAccount(t.db);
		const one = await createSession(t.db, a.accountId);
		const two = await createSession(t.db, a.accountId);
		await requestPasswordReset(t.db, a.login, ORIGIN);
		const secret = await lastLinkSentTo(a.personId);
		expect(await findLink(t.db, secret)).toMatchObject({ accountId: a.accountId, purpose: 'password_reset' });

		expect(await usePasswordLink(t.db, secret, 'a brand new passphrase')).toEqual({ ok: true, accountId: a.accountId });
		expect(await validateSessionToken(t.db, one.token)).toBeNull();
		expect(await validateSessionToken(t.db, two.token)).toBeNull();
		expect(await authenticate(t.db, a.login, 'a brand new passphrase', '10.0.0.1')).toMatchObject({ ok: true });
		expect(await authenticate(t.db, a.login, a.password, '10.0.0.1')).toMatchObject({ ok: false, reason: 'invalid' });

		expect(await findLink(t.db, secret)).toBeNull();
		expect(await usePasswordLink(t.db, secret, 'yet another passphrase')).toEqual({ ok: false });
	});

	it('expire after an hour', async () => {
		const clock = fixedClock('2026-12-01T02:00:00Z');
		setClock(clock);
		const a = await createAccount(t.db);
		await requestPasswordReset(t.db, a.login, ORIGIN);
		const secret = await lastLinkSentTo(a.personId);
		clock.advance(59 * 60_000);
		expect(await findLink(t.db, secret)).not.toBeNull();
		clock.advance(2 * 60_000);
		expect(await findLink(t.db, secret)).toBeNull();
		expect(await usePasswordLink(t.db, secret, 'too late passphrase')).toEqual({ ok: false });
	});

	it('made at the counter last a week and are spent by any later password change through a link', async () => {
		const clock = fixedClock('2026-12-01T02:00:00Z');
		setClock(clock);
		const staff = await createAccount(t.db, { roles: ['staff'] });
		const walkIn = await createAccount(t.db, { passwordHash: null });
		const url = await createSetPasswordLink(t.db, walkIn.accountId, staff.accountId, ORIGIN);
		const secret = url.slice(`${ORIGIN}/reset/`.length);
		clock.advance(6 * 24 * 60 * 60_000);
		expect(await findLink(t.db, secret)).toMatchObject({ purpose: 'set_password', accountId: walkIn.accountId });
		clock.advance(2 * 24 * 60 * 60_000);
		expect(await findLink(t.db, secret)).toBeNull();
		const audit = await t.db.selectFrom('audit_log').select('action').where('actor_account_id', '=', staff.accountId).execute();
		expect(audit.map((r) => r.action)).toContain('account.password_link_created');
	});

	it('are stored only as hashes', async () => {
		const a = await createAccount(t.db);
		await requestPasswordReset(t.db, a.login, ORIGIN);
		const secret = await lastLinkSentTo(a.personId);
		const rows = await t.db.selectFrom('one_time_token').select('token_hash').where('account_id', '=', a.accountId).execute();
		for (const row of rows) expect(Buffer.from(row.token_hash).toString('utf8')).not.toContain(secret);
		expect(await findLink(t.db, Buffer.from(rows[0]!.token_hash).toString('hex'))).toBeNull();
	});
});
