import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, changePassword } from '../../src/lib/server/auth/accounts';
import { createSetPasswordLink, findLink, requestPasswordReset, usePasswordLink } from '../../src/lib/server/auth/links';
import { deliverDue } from '../../src/lib/server/notifications/outbox';
import type { OutgoingMessage } from '../../src/lib/server/notifications/sender';
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
		const made = await createSetPasswordLink(t.db, {
			accountId: walkIn.accountId,
			issuer: { accountId: staff.accountId, admin: false },
			origin: ORIGIN
		});
		if (!made.ok) throw new Error(made.reason);
		const secret = made.link.slice(`${ORIGIN}/reset/`.length);
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

/** Rows a refused link must not have left behind. */
async function traces(accountId: number) {
	const tokens = await t.db.selectFrom('one_time_token').select('id').where('account_id', '=', accountId).execute();
	const audits = await t.db
		.selectFrom('audit_log')
		.select('id')
		.where('action', '=', 'account.password_link_created')
		.where('subject_id', '=', String(accountId))
		.execute();
	return tokens.length + audits.length;
}

async function noticesOf(personId: number) {
	const rows = await t.db.selectFrom('notification').select('kind').where('person_id', '=', personId).orderBy('id').execute();
	return rows.map((r) => r.kind);
}

describe('set-password links at the counter (the takeover of issue 20)', () => {
	it('are refused to community staff for doctors, trainers, staff, admins and any account with a password, leaving nothing behind', async () => {
		const community = (await createAccount(t.db)).person.communityId;
		const staff = await createAccount(t.db, { communityId: community, roles: [{ role: 'staff', communityId: community }] });
		const issuer = { accountId: staff.accountId, admin: false };
		const victims = [
			['has-roles', await createAccount(t.db, { communityId: community, passwordHash: null, roles: ['doctor'] })],
			['has-roles', await createAccount(t.db, { communityId: community, passwordHash: null, roles: ['trainer'] })],
			[
				'has-roles',
				await createAccount(t.db, { communityId: community, passwordHash: null, roles: [{ role: 'staff', communityId: community }] })
			],
			['has-roles', await createAccount(t.db, { communityId: community, passwordHash: null, roles: ['admin'] })],
			['has-password', await createAccount(t.db, { communityId: community, roles: ['doctor'] })],
			['has-password', await createAccount(t.db, { communityId: community, roles: ['admin'] })],
			['has-password', await createAccount(t.db, { communityId: community })]
		] as const;
		for (const [reason, victim] of victims) {
			expect(await createSetPasswordLink(t.db, { accountId: victim.accountId, issuer, origin: ORIGIN })).toEqual({ ok: false, reason });
			expect(await traces(victim.accountId)).toBe(0);
			expect(await noticesOf(victim.personId)).toEqual([]);
		}
	});

	it('are made by staff for a walk-in without a password, who is told in the inbox and by SMS', async () => {
		const staff = await createAccount(t.db, { roles: ['staff'] });
		const walkIn = await createAccount(t.db, { passwordHash: null });
		const made = await createSetPasswordLink(t.db, {
			accountId: walkIn.accountId,
			issuer: { accountId: staff.accountId, admin: false },
			origin: ORIGIN
		});
		expect(made.ok).toBe(true);
		expect(await noticesOf(walkIn.personId)).toEqual(['password_link_created']);
		const sms = await t.db.selectFrom('outbox').select(['kind', 'address']).where('person_id', '=', walkIn.personId).execute();
		expect(sms).toEqual([{ kind: 'password_link_created', address: walkIn.login }]);
	});

	it('need a written reason from an administrator for an account with a password, audited with the administrator as actor', async () => {
		const admin = await createAccount(t.db, { roles: ['admin'] });
		const doctor = await createAccount(t.db, { roles: ['doctor'] });
		const issuer = { accountId: admin.accountId, admin: true };
		expect(await createSetPasswordLink(t.db, { accountId: doctor.accountId, issuer, origin: ORIGIN })).toEqual({
			ok: false,
			reason: 'reason-required'
		});
		expect(await createSetPasswordLink(t.db, { accountId: doctor.accountId, issuer, origin: ORIGIN, reason: '   ' })).toEqual({
			ok: false,
			reason: 'reason-required'
		});
		expect(await traces(doctor.accountId)).toBe(0);
		const made = await createSetPasswordLink(t.db, {
			accountId: doctor.accountId,
			issuer,
			origin: ORIGIN,
			reason: 'Came to the desk with ID; old number given up'
		});
		if (!made.ok) throw new Error(made.reason);
		const row = await t.db
			.selectFrom('audit_log')
			.select(['actor_account_id', 'details'])
			.where('action', '=', 'account.password_link_created')
			.where('subject_id', '=', String(doctor.accountId))
			.executeTakeFirstOrThrow();
		expect(row.actor_account_id).toBe(admin.accountId);
		expect(row.details).toMatchObject({ had_password: true, reason: 'Came to the desk with ID; old number given up' });
		expect(await noticesOf(doctor.personId)).toEqual(['password_link_created']);

		// Used: the holder hears of it, and the audit row of the use names who made the link.
		const secret = made.link.slice(`${ORIGIN}/reset/`.length);
		expect(await usePasswordLink(t.db, secret, 'a brand new passphrase')).toEqual({ ok: true, accountId: doctor.accountId });
		expect(await noticesOf(doctor.personId)).toEqual(['password_link_created', 'password_set_by_link']);
		const used = await t.db
			.selectFrom('audit_log')
			.select('details')
			.where('action', '=', 'account.set_password_used')
			.where('subject_id', '=', String(doctor.accountId))
			.executeTakeFirstOrThrow();
		expect(used.details).toMatchObject({ link_made_by: admin.accountId });
	});
});

describe('a password change', () => {
	it('ends every link the account still has open', async () => {
		const a = await createAccount(t.db);
		await requestPasswordReset(t.db, a.login, ORIGIN);
		const secret = await lastLinkSentTo(a.personId);
		const session = await createSession(t.db, a.accountId);
		expect(await changePassword(t.db, a.accountId, session.session.id, a.password, 'the holder changed it')).toEqual({ ok: true });
		expect(await findLink(t.db, secret)).toBeNull();
		expect(await usePasswordLink(t.db, secret, 'the attacker wants this')).toEqual({ ok: false });
		expect(await authenticate(t.db, a.login, 'the holder changed it', '10.0.0.1')).toMatchObject({ ok: true });
	});
});

describe('the outbox', () => {
	it('keeps no readable reset link once the message is sent', async () => {
		const a = await createAccount(t.db);
		await requestPasswordReset(t.db, a.login, ORIGIN);
		const sent: OutgoingMessage[] = [];
		// Deliver everything due (other tests' messages too), capturing what went out.
		while ((await deliverDue(t.db, { limit: 100, sender: { send: async (m) => void sent.push(m) } })).sent > 0);
		const mine = sent.find((m) => m.address === a.login && m.kind === 'password_reset');
		expect(mine?.text).toMatch(new RegExp(`${ORIGIN}/reset/[A-Za-z0-9]+`));
		const secret = mine!.text.split(`${ORIGIN}/reset/`)[1]!.trim();
		const rows = await t.db.selectFrom('outbox').select(['status', 'payload']).where('person_id', '=', a.personId).execute();
		expect(rows.map((r) => r.status)).toEqual(['sent']);
		expect(JSON.stringify(rows[0]!.payload)).not.toContain(secret);
		expect(JSON.stringify(rows[0]!.payload)).not.toContain('/reset/');
		// The link itself still works: it was only forgotten by the outbox.
		expect(await findLink(t.db, secret)).not.toBeNull();
	});
});
