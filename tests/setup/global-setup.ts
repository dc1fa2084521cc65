/**
 * Once per `vitest run`: on PostgreSQL (TEST_DATABASE_URL), migrate a template database that each
 * test file clones, with names unique to this run so that CI, a developer and a fresh-clone check
 * can share one server. On PGlite alone there is nothing to prepare: each file migrates in memory.
 */
import type { TestProject } from 'vitest/node';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { databaseUrl, dropRunDatabases } from '../helpers/pg-admin';
import { buildIfNeeded } from '../../scripts/build-if-needed.js';

declare module 'vitest' {
	export interface ProvidedContext {
		postgres: { url: string; template: string; runId: string } | null;
	}
}

export default async function setup(project: TestProject) {
	// Server-process tests run the production build; make sure it is current (no-op when it is).
	buildIfNeeded();
	const url = process.env.TEST_DATABASE_URL?.trim();
	if (!url) {
		project.provide('postgres', null);
		console.warn('\n[tests] No TEST_DATABASE_URL: database tests run on embedded PGlite; concurrency tests are left out.\n');
		return;
	}
	// Under npm test the names carry its run's name, so that a stopped run can drop them (scripts/test.js).
	const run = process.env.HD_TEST_RUN?.toLowerCase()
		.replace(/[^a-z0-9]/g, '')
		.slice(0, 24);
	const runId = `${run || Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
	const template = `hd_tpl_${runId}`;
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${template}`);
	} finally {
		await admin.end();
	}
	const db = new Kysely<unknown>({
		dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(url, template), max: 1 }) })
	});
	try {
		await migrateToLatest(db);
	} finally {
		await db.destroy();
	}
	project.provide('postgres', { url, template, runId });
	return async () => {
		await dropRunDatabases(url, runId);
	};
}
