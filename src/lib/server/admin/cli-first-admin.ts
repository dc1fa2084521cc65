// `npm run first-admin -- <mobile> <family name> <given name> [--another]`: the way into a new
// deployment. An empty database has no community and no account, and /register needs a community;
// this makes the first administrator (a person, an account without a password, the roles resident
// and admin everywhere) and prints a one-time link to set the password. The administrator then logs
// in and creates the communities at /admin/communities. Refuses while an administrator exists,
// unless --another is given. Migrates first, so it works on a database nothing has touched.
import { sql } from 'kysely';
import { audit } from '../audit';
import { createSetPasswordLink, SET_PASSWORD_VALID_MS } from '../auth/links';
import { parseLogin } from '../auth/identifiers';
import { now } from '../clock';
import { config } from '../config';
import { startDatabase, stopDatabase } from '../db';
import { isUniqueViolation } from '../db/errors';
import { joinTransaction } from '../db/joined';
import { migrateToLatest } from '../db/migrate';
import { fields } from '../forms';
import { translate } from '$lib/i18n';

const USAGE =
	'usage: npm run first-admin -- <mobile> <family name> <given name> [--another]\n  e.g. npm run first-admin -- 13912345678 欧阳 伟';
const nameField = fields.text({ max: 40 });

export async function main(args: string[]): Promise<number> {
	const another = args.includes('--another');
	const [mobile, familyName, givenName, ...rest] = args.filter((a) => a !== '--another');
	if (!mobile || !familyName || !givenName || rest.length > 0) {
		console.error(USAGE);
		return 2;
	}
	const login = parseLogin(mobile);
	if (login.kind !== 'phone') {
		console.error(`"${mobile}" is not a mainland mobile number (11 digits starting with 13–19).\n${USAGE}`);
		return 2;
	}
	const names = [nameField.parse(familyName), nameField.parse(givenName)];
	for (const [i, n] of names.entries()) {
		if (!n.ok) {
			console.error(`The ${i === 0 ? 'family' : 'given'} name: ${translate('en', n.error.key, n.error.params)}`);
			return 2;
		}
	}
	const cfg = config();
	if (!cfg.origin) {
		console.error(
			'Set ORIGIN to the address people open (e.g. ORIGIN=https://health.dongmen.example): the link printed here points there.'
		);
		return 2;
	}
	const handle = await startDatabase(cfg);
	try {
		await migrateToLatest(handle.db);
		const made = await handle.db.transaction().execute(async (trx) => {
			// One first administrator even when the command is run twice at once.
			await sql`SELECT pg_advisory_xact_lock(hashtext('healthy-dongmen:first-admin'))`.execute(trx);
			const admins = await trx
				.selectFrom('account_role')
				.innerJoin('account', 'account.id', 'account_role.account_id')
				.select(({ fn }) => fn.countAll<number>().as('n'))
				.where('account_role.role', '=', 'admin')
				.where('account.disabled_at', 'is', null)
				.executeTakeFirstOrThrow();
			if (Number(admins.n) > 0 && !another) return { ok: false as const, reason: 'exists' as const };
			const at = now();
			const person = await trx
				.insertInto('person')
				.values({
					family_name: names[0]!.ok ? names[0]!.value : '',
					given_name: names[1]!.ok ? names[1]!.value : '',
					phone: login.phone,
					created_at: at,
					updated_at: at
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			let accountId: number;
			try {
				const account = await trx
					.insertInto('account')
					.values({ person_id: person.id, login_phone: login.phone, password_hash: null, created_at: at })
					.returning('id')
					.executeTakeFirstOrThrow();
				accountId = account.id;
			} catch (error) {
				if (isUniqueViolation(error)) return { ok: false as const, reason: 'taken' as const };
				throw error;
			}
			await trx
				.insertInto('account_role')
				.values([
					{ account_id: accountId, role: 'resident', granted_at: at },
					{ account_id: accountId, role: 'admin', granted_at: at }
				])
				.execute();
			await audit(trx, {
				actorAccountId: null,
				action: 'account.first_admin',
				subjectType: 'account',
				subjectId: accountId,
				details: { another }
			});
			// The link joins this transaction: the account and its link are made together or not at all.
			const link = await createSetPasswordLink(joinTransaction(trx), {
				accountId,
				issuer: { accountId: null, admin: true },
				origin: cfg.origin!
			});
			if (!link.ok) throw new Error(`the new account was refused a link (${link.reason})`);
			return { ok: true as const, link: link.link };
		});
		if (!made.ok) {
			console.error(
				made.reason === 'exists'
					? 'An administrator exists already. An administrator makes more at /admin/accounts (grant the role admin); ' +
							'to make one from here all the same (every administrator has lost access, say), add --another.'
					: `The mobile number ${login.phone} is already the log-in of an account. An administrator grants that account the role admin at /admin/accounts.`
			);
			return 1;
		}
		const days = SET_PASSWORD_VALID_MS / (24 * 60 * 60_000);
		console.log(`Administrator ${familyName}${givenName} (log-in ${login.phone}) is created.`);
		console.log(`Open this link within ${days} days to set the password (it works once; keep it private):\n\n  ${made.link}\n`);
		console.log('Then log in and create the communities at /admin/communities; residents can register from then on.');
		return 0;
	} finally {
		await stopDatabase();
	}
}
