// The participation pages at district scale (100,000 people, 1,000,000 reservations,
// p95 under 200 ms). Opt-in, because generating the data takes minutes: BENCH_SCALE=large,tenth (or
// `npm run bench -- participation`, which runs both). Each scale is generated once into a template
// database `hd_scale_<name>` that later runs clone in seconds; drop it to regenerate.
import pg from 'pg';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { openPostgres } from '../../src/lib/server/db/connect';
import { seedDemoData } from '../../src/lib/server/demo/seed';
import { SCALES, seedScale } from '../../src/lib/server/demo/scale';
import { certificateScenarios } from './certificates';
import type { Scenario } from './scenarios';
import { loginCookie, type Portal } from './server';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const STAFF = { login: '13800000004', password: 'Dongmen-demo-2026' }; // limited to 东门社区
const ADMIN = { login: '13800000005', password: 'Dongmen-demo-2026' }; // made district-wide staff below

function urlOf(name: string): string {
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return url.href;
}

async function admin<T extends pg.QueryResultRow>(sql: string, url = ADMIN_URL): Promise<pg.QueryResult<T>> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await client.query<T>(sql);
	} finally {
		await client.end();
	}
}

/** Which scales to run: BENCH_SCALE, or both when the bench is asked for 'participation'. */
export function participationScales(args: string[]): string[] {
	const asked = process.env.BENCH_SCALE?.trim();
	if (asked) return asked.split(',').map((s) => s.trim());
	return args.includes('participation') ? ['tenth', 'large'] : [];
}

/** A template database holding the scale's data set (made once), cloned into a throw-away one. */
export async function scaleDatabase(name: string, log: (line: string) => void): Promise<{ url: string; drop(): Promise<void> }> {
	const scale = SCALES[name];
	if (!scale) throw new Error(`BENCH_SCALE: no scale "${name}" (${Object.keys(SCALES).join(', ')})`);
	const template = `hd_scale_${name}`;
	const exists = await admin(`SELECT 1 FROM pg_database WHERE datname = '${template}' AND datistemplate`);
	if (exists.rowCount === 0) {
		log(`Generating the ${name} data set into the template database ${template} (once) …`);
		await admin(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
		await admin(`CREATE DATABASE ${template}`);
		// The app's own connection (its type parsers: ids as numbers, dates as strings), as the seed expects.
		const handle = openPostgres(urlOf(template), 2);
		const db = handle.db;
		try {
			await migrateToLatest(db);
			await seedDemoData(db);
			await seedScale(db, scale, log);
			// District-wide staff for the bench: the demo admin (the demo staff member is limited to 东门社区).
			await db
				.insertInto('account_role')
				.values((eb) => ({
					account_id: eb.selectFrom('account').select('id').where('login_phone', '=', ADMIN.login),
					role: 'staff',
					community_id: null
				}))
				.execute();
		} finally {
			await handle.close();
		}
		await admin(`VACUUM ANALYZE`, urlOf(template));
		await admin(`ALTER DATABASE ${template} IS_TEMPLATE true`);
	} else {
		// A template made before a newer migration is brought up to date once, not on every clone.
		const handle = openPostgres(urlOf(template), 2);
		try {
			const ran = (await migrateToLatest(handle.db)).results ?? [];
			if (ran.length) log(`Migrated the template ${template}: ${ran.map((r) => r.migrationName).join(', ')}`);
			if (ran.length) await admin(`VACUUM ANALYZE`, urlOf(template));
		} finally {
			await handle.close();
		}
	}
	const clone = `hd_bench_${name}_${process.pid}`;
	await admin(`DROP DATABASE IF EXISTS ${clone} WITH (FORCE)`);
	await admin(`CREATE DATABASE ${clone} TEMPLATE ${template}`);
	return { url: urlOf(clone), drop: () => admin(`DROP DATABASE IF EXISTS ${clone} WITH (FORCE)`).then(() => {}) };
}

const TARGET = { maxP95Ms: 200 };
const as = (account: typeof STAFF) => async (portal: Portal) => ({ headers: { cookie: await loginCookie(portal, account) } });

/**
 * The four pages: the dashboard and coverage, for one community's staff and for the district (12
 * months each); and the public verification page, whose §12 target is also set at this scale.
 */
export function participationScenarios(scale: string): Scenario[] {
	const verification = certificateScenarios.find((s) => s.name === 'verification page')!;
	return [
		{ ...verification, name: `verification page (${scale})` },
		{ name: `dashboard, 东门 staff (${scale})`, method: 'GET', path: '/staff', target: TARGET, setup: as(STAFF) },
		{ name: `dashboard, district (${scale})`, method: 'GET', path: '/staff?community=all', target: TARGET, setup: as(ADMIN) },
		{ name: `coverage, 东门 staff (${scale})`, method: 'GET', path: '/staff/coverage', target: TARGET, setup: as(STAFF) },
		{ name: `coverage, district (${scale})`, method: 'GET', path: '/staff/coverage?community=all', target: TARGET, setup: as(ADMIN) }
	];
}
