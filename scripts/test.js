// `npm test`: the whole suite. Builds once if needed, runs Vitest (on PostgreSQL when
// TEST_DATABASE_URL is set, else on embedded PGlite), then the Playwright journeys on the machine's
// Chromium. Without a Chromium the journeys are skipped loudly, unless CI or REQUIRE_E2E is set:
// then that is a failure. Ends with one line of totals.
//   node scripts/test.js [--unit-only | --e2e-only] [extra vitest/playwright filters]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildIfNeeded, root } from './build-if-needed.js';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit-only');
const e2eOnly = args.includes('--e2e-only');
const filters = args.filter((a) => !a.startsWith('--'));
const mustRunE2E = Boolean(process.env.CI || process.env.REQUIRE_E2E);
const resultsDir = path.resolve(root, process.env.TEST_RESULTS_DIR ?? 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
/** @type {string[]} */
const timings = [];
let failed = false;

/** @param {string} name @param {() => boolean} fn */
function timed(name, fn) {
	const t0 = Date.now();
	const ok = fn();
	timings.push(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s${ok ? '' : ' (FAILED)'}`);
	if (!ok) failed = true;
	return ok;
}

/** @param {string} command @param {string[]} commandArgs @param {Record<string, string>} env */
function run(command, commandArgs, env = {}) {
	const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	return result.status === 0;
}

/** @param {string} file @returns {any} */
function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
}

/** Seconds each suite took, summed over its files (files run side by side, so these add up to more than the wall time). */
/** @type {Map<string, number>} */
const suiteSeconds = new Map();
/** @param {string} suite @param {number} ms */
function addSuiteTime(suite, ms) {
	if (Number.isFinite(ms) && ms > 0) suiteSeconds.set(suite, (suiteSeconds.get(suite) ?? 0) + ms / 1000);
}

/** Vitest suites are the folders under tests/ (tests/authz/… → "vitest authz"). @param {any} report */
function vitestSuiteTimes(report) {
	for (const file of report?.testResults ?? []) {
		const relative = path.relative(path.join(root, 'tests'), String(file.name ?? ''));
		addSuiteTime(`vitest ${relative.split(path.sep)[0]}`, Number(file.endTime) - Number(file.startTime));
	}
}

/** Playwright suites are the spec files, both projects together. @param {any} report */
function playwrightSuiteTimes(report) {
	/** @param {any} suite @param {string} file */
	const walk = (suite, file) => {
		for (const spec of suite.specs ?? [])
			for (const test of spec.tests ?? []) for (const result of test.results ?? []) addSuiteTime(`playwright ${file}`, Number(result.duration));
		for (const child of suite.suites ?? []) walk(child, file);
	};
	for (const suite of report?.suites ?? []) walk(suite, String(suite.file ?? suite.title ?? '?'));
}

/** @returns {Promise<number>} */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/** @param {string} serverUrl */
async function createE2EDatabase(serverUrl) {
	const { default: pg } = await import('pg');
	const name = `hd_e2e_${Date.now().toString(36)}_${process.pid}`;
	/** @param {string} statement */
	const admin = async (statement) => {
		const client = new pg.Client({ connectionString: serverUrl });
		await client.connect();
		try {
			await client.query(statement);
		} finally {
			await client.end();
		}
	};
	await admin(`CREATE DATABASE ${name}`);
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

function chromiumPath() {
	const candidates = [process.env.CHROMIUM_PATH ?? '', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	return candidates.find((c) => c !== '' && fs.existsSync(c));
}

// Vitest's server-process tests use the build as well as the journeys.
if (
	!timed('build', () => {
		try {
			buildIfNeeded();
			return true;
		} catch (error) {
			console.error(error instanceof Error ? error.message : error);
			return false;
		}
	})
) {
	process.exit(1);
}

/** One Vitest run with its own JSON report, counted into the totals. @param {string} label @param {string} name @param {string[]} vitestArgs */
function vitest(label, name, vitestArgs) {
	const out = path.join(resultsDir, `${name}.json`);
	fs.rmSync(out, { force: true });
	timed(label, () =>
		run(process.execPath, [
			path.join(root, 'node_modules/vitest/vitest.mjs'),
			'run',
			'--reporter=default',
			'--reporter=json',
			`--outputFile.json=${out}`,
			...vitestArgs
		])
	);
	const report = readJson(out);
	vitestSuiteTimes(report);
	if (report) {
		totals.passed += report.numPassedTests;
		totals.failed += report.numFailedTests;
		totals.skipped += report.numPendingTests + report.numTodoTests;
	} else failed = true;
}

if (!e2eOnly) {
	// The database fault tests stop and start a PostgreSQL cluster of their own and time the answers:
	// they run on their own after the rest, not squeezed between other files on the same cores.
	const FAULTS = 'tests/faults';
	const faultFilters = filters.length ? filters.filter((f) => f.includes('faults')) : [FAULTS];
	const label = process.env.TEST_DATABASE_URL ? 'vitest (PostgreSQL)' : 'vitest (embedded PGlite)';
	if (!filters.length || faultFilters.length < filters.length) vitest(label, 'vitest', [`--exclude=${FAULTS}/**`, ...filters]);
	if (process.env.HD_PGLITE_PASS)
		console.log('\n[tests] database fault tests: run in the PostgreSQL pass only (they bring their own cluster).');
	else if (faultFilters.length) vitest('vitest (database faults, own cluster)', 'vitest-faults', faultFilters);
}

if (!unitOnly) {
	const chromium = chromiumPath();
	if (!chromium) {
		const message = 'No Chromium found (apt-get install chromium, or set CHROMIUM_PATH): the browser journeys cannot run.';
		if (mustRunE2E) {
			console.error(`\nFAIL: ${message}\n`);
			failed = true;
			totals.failed += 1;
		} else {
			console.warn(`\n${'!'.repeat(100)}\nSKIPPED ALL BROWSER JOURNEYS. ${message}\n${'!'.repeat(100)}\n`);
		}
	} else {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-e2e-'));
		const serverLog = path.join(dataDir, 'server.log');
		const out = path.join(resultsDir, 'e2e.json');
		fs.rmSync(out, { force: true });
		// On PostgreSQL the journeys can read what the server wrote (e.g. a reset link in the outbox).
		const e2eDatabase = process.env.TEST_DATABASE_URL ? await createE2EDatabase(process.env.TEST_DATABASE_URL) : null;
		const env = {
			...(e2eDatabase ? { E2E_DATABASE_URL: e2eDatabase.url } : {}),
			CHROMIUM_PATH: chromium,
			E2E_PORT: String(await freePort()),
			E2E_DATA_DIR: dataDir,
			E2E_SERVER_LOG: serverLog,
			E2E_JSON: out
		};
		timed('playwright (js + no-js)', () =>
			run(process.execPath, [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test', ...filters], env)
		);
		if (e2eDatabase) await e2eDatabase.drop();
		const report = readJson(out);
		playwrightSuiteTimes(report);
		if (report?.stats) {
			totals.passed += report.stats.expected + report.stats.flaky;
			totals.failed += report.stats.unexpected;
			totals.skipped += report.stats.skipped;
		} else failed = true;
		// Personal data never goes into logs: the whole journey's server log must hold no phone number.
		const log = fs.existsSync(serverLog) ? fs.readFileSync(serverLog, 'utf8') : '';
		const leaked = log.match(/(?<!\d)1[3-9]\d{9}(?!\d)/g);
		if (leaked) {
			console.error(`\nFAIL: the server log of the journeys contains ${leaked.length} phone number(s) (kept in ${serverLog}).`);
			totals.failed += 1;
			failed = true;
		} else fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

if (suiteSeconds.size > 0) {
	console.log('\nTime per suite (summed over its files):');
	for (const [suite, seconds] of [...suiteSeconds].sort(([a], [b]) => a.localeCompare(b)))
		console.log(`  ${suite.padEnd(44)} ${seconds.toFixed(1).padStart(7)} s`);
}
console.log(`\n${timings.join('\n')}`);
fs.writeFileSync(path.join(resultsDir, 'totals.json'), JSON.stringify(totals));
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.failed > 0 ? 1 : 0);
