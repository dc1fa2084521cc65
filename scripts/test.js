// `npm test`: the whole suite. Builds once if needed, runs Vitest (on PostgreSQL when
// TEST_DATABASE_URL is set, else on embedded PGlite), then the Playwright journeys on the machine's
// Chromium. Without a Chromium the journeys are skipped loudly, unless CI or REQUIRE_E2E is set:
// then that is a failure. Ends with the skipped tests by reason and one line of totals.
//   node scripts/test.js [--unit-only | --e2e-only] [filters: files, folders or parts of names]
// A filter that names a path under tests/ goes to the runner it belongs to (tests/e2e/… to
// Playwright, any other tests/… to Vitest); a bare word goes to both, and a runner that finds
// nothing for it is not an error unless neither finds anything.
//
// Ctrl-C, SIGTERM or SIGHUP: each runner is started in a process group of its own, the signal is
// passed on to the whole group (Vitest, its workers, the servers they started; Playwright and its
// browsers), then whatever is left of the group is killed after a grace period. The run's
// temporary directory (TMPDIR of every child), the journeys' data directory and database and the
// run's test databases are removed, and the exit status is 128 + the signal's number.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildIfNeeded, root } from './build-if-needed.js';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit-only');
const e2eOnly = args.includes('--e2e-only');
const filters = args.filter((a) => !a.startsWith('--'));
/** A filter for one runner only: a path under tests/ (tests/e2e/… is Playwright's). @param {string} f */
const runnerOf = (f) => {
	const p = path.relative(root, path.resolve(root, f)).split(path.sep).join('/');
	if (!fs.existsSync(path.resolve(root, f)) || !p.startsWith('tests/')) return 'both';
	return p === 'tests/e2e' || p.startsWith('tests/e2e/') ? 'playwright' : 'vitest';
};
const vitestFilters = filters.filter((f) => runnerOf(f) !== 'playwright');
const playwrightFilters = filters.filter((f) => runnerOf(f) !== 'vitest');
const mustRunE2E = Boolean(process.env.CI || process.env.REQUIRE_E2E);
const resultsDir = path.resolve(root, process.env.TEST_RESULTS_DIR ?? 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });

// The run's name (test databases are named after it) and its own temporary directory: every child
// gets it as TMPDIR, so whatever a killed process could not remove goes with it at the end.
const runId =
	(process.env.HD_TEST_RUN ?? '').toLowerCase().replace(/[^a-z0-9]/g, '') || `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-test-'));
// The fault tests' cluster directory inside it belongs to the postgres user, who must reach it.
fs.chmodSync(runTmp, 0o755);
/** @type {Record<string, string>} */
const runEnv = { HD_TEST_RUN: runId, TMPDIR: runTmp };

const totals = { passed: 0, failed: 0, skipped: 0 };
/** @type {string[]} */
const timings = [];
let failed = false;

/** @param {string} name @param {() => boolean | Promise<boolean>} fn */
async function timed(name, fn) {
	const t0 = Date.now();
	const ok = await fn();
	timings.push(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s${ok ? '' : ' (FAILED)'}`);
	if (!ok) failed = true;
	return ok;
}

// ---- Stopping: signals, process groups, clean-up -------------------------------------------------

const SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);
/** The signal that stops the run, once one came. @type {NodeJS.Signals | null} */
let stopping = null;
/** The runner now running (leader of its own process group). @type {import('node:child_process').ChildProcess | null} */
let current = null;
/** What to undo when the run is stopped: the journeys' data directory and database. @type {Array<() => unknown>} */
const onStop = [];
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** Live (not zombie) processes of a process group, from /proc; or [-1] when only kill(0) can tell. @param {number} pgid */
function groupMembers(pgid) {
	try {
		/** @type {number[]} */
		const members = [];
		for (const pid of fs.readdirSync('/proc')) {
			if (!/^\d+$/.test(pid)) continue;
			try {
				const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
				const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(pid));
			} catch {
				// Ended meanwhile.
			}
		}
		return members;
	} catch {
		try {
			process.kill(-pgid, 0);
			return [-1];
		} catch {
			return [];
		}
	}
}

/** @param {number} pgid @param {NodeJS.Signals} signal */
function signalGroup(pgid, signal) {
	try {
		process.kill(-pgid, signal);
	} catch {
		// The group is gone.
	}
}

/** Ends what is left of a runner's process group: `signal`, then SIGKILL after `graceMs`. @param {number} pgid @param {NodeJS.Signals} signal */
async function endGroup(pgid, signal, graceMs = 10_000) {
	if (groupMembers(pgid).length === 0) return;
	signalGroup(pgid, signal);
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && groupMembers(pgid).length > 0) await sleep(100);
	if (groupMembers(pgid).length > 0) {
		console.error(`[tests] processes of group ${pgid} still running after ${graceMs / 1000} s: killed.`);
		signalGroup(pgid, 'SIGKILL');
		for (let i = 0; i < 50 && groupMembers(pgid).length > 0; i++) await sleep(100);
	}
}

/** Start time of a process (clock ticks since boot) from /proc/<pid>/stat. @param {string} stat */
const startTicks = (stat) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
let ownStart = 0;
try {
	ownStart = startTicks(fs.readFileSync('/proc/self/stat', 'utf8'));
} catch {
	// No /proc: runProcesses finds nothing.
}

/**
 * Processes of this run that left its runners' process groups (Playwright starts its web server in
 * a group of its own; PostgreSQL's pg_ctl starts a session): found by HD_TEST_RUN in their
 * environment. Linux only (/proc); elsewhere none are found.
 */
function runProcesses() {
	const marker = `\0HD_TEST_RUN=${runId}\0`;
	/** @type {number[]} */
	const found = [];
	let pids = [];
	try {
		pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
	} catch {
		return found;
	}
	for (const pid of pids) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
			// Only what started after this run: never the shell that started it with HD_TEST_RUN set.
			if (!(startTicks(stat) >= ownStart && ownStart > 0)) continue;
			if (`\0${fs.readFileSync(`/proc/${pid}/environ`, 'latin1')}`.includes(marker)) found.push(Number(pid));
		} catch {
			// Ended meanwhile, or not ours to read.
		}
	}
	return found;
}

/** Ends the run's processes outside its groups: `signal`, then SIGKILL after `graceMs`. @param {NodeJS.Signals} signal */
async function endRunProcesses(signal, graceMs = 5_000) {
	let left = runProcesses();
	if (left.length === 0) return;
	/** @param {NodeJS.Signals} s */
	const send = (s) => {
		for (const pid of left) {
			try {
				process.kill(pid, s);
			} catch {
				// Gone.
			}
		}
	};
	send(signal);
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && (left = runProcesses()).length > 0) await sleep(100);
	if (left.length > 0) {
		console.error(`[tests] ${left.length} process(es) of this run still running after ${graceMs / 1000} s: killed.`);
		send('SIGKILL');
		for (let i = 0; i < 50 && runProcesses().length > 0; i++) await sleep(100);
	}
}

/**
 * Runs a child in a process group of its own and waits for it and for every process it left in
 * that group. @param {string} command @param {string[]} commandArgs @param {Record<string, string>} env
 * @returns {Promise<boolean>}
 */
function run(command, commandArgs, env = {}) {
	if (stopping) return Promise.resolve(false);
	return new Promise((resolve) => {
		const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...runEnv, ...env }, detached: true });
		current = child;
		/** @type {NodeJS.Timeout | undefined} */
		let escalation;
		child.once('error', (error) => {
			console.error(error);
			current = null;
			resolve(false);
		});
		child.once('exit', async (code) => {
			clearTimeout(escalation);
			// A server or worker that outlived its runner is ended too (also after a normal end).
			if (child.pid) await endGroup(child.pid, stopping ?? 'SIGTERM', stopping ? 10_000 : 5_000);
			await endRunProcesses(stopping ?? 'SIGTERM');
			current = null;
			resolve(code === 0);
		});
		// A runner that does not end within 20 s of the signal is killed with its whole group.
		child.on('stop-requested', () => {
			escalation ??= setTimeout(() => child.pid && signalGroup(child.pid, 'SIGKILL'), 20_000);
		});
	});
}

/** Drops the test databases of this run (`hd_*<runId>*`) on TEST_DATABASE_URL, as Vitest's teardown would have. */
async function dropRunDatabases() {
	const serverUrl = process.env.TEST_DATABASE_URL?.trim();
	if (!serverUrl) return;
	const { default: pg } = await import('pg');
	const client = new pg.Client({ connectionString: serverUrl });
	await client.connect();
	try {
		const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'hd\\_%' AND datname LIKE $1`, [`%${runId}%`]);
		for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
	} finally {
		await client.end();
	}
}

/** After a signal: everything this run made goes, then the process ends as the signal says. */
async function stopRun() {
	const signal = /** @type {NodeJS.Signals} */ (stopping);
	for (const undo of onStop.splice(0)) {
		try {
			await undo();
		} catch (error) {
			console.error('[tests] clean-up:', error instanceof Error ? error.message : error);
		}
	}
	await dropRunDatabases().catch((error) =>
		console.error('[tests] dropping the run’s databases:', error instanceof Error ? error.message : error)
	);
	fs.rmSync(runTmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
	console.error(`[tests] stopped by ${signal}: no test process left, temporary files removed.`);
	process.exit(128 + (os.constants.signals[signal] ?? 15));
}

for (const signal of SIGNALS) {
	process.on(signal, () => {
		// npm passes Ctrl-C on as well: the same signal twice is one request to stop.
		if (!stopping) {
			stopping = signal;
			console.error(`\n[tests] ${signal}: stopping the tests …`);
		}
		if (current?.pid) {
			signalGroup(current.pid, signal);
			current.emit('stop-requested');
		}
	});
}

/** Between stages: a signal that came meanwhile ends the run here. */
async function checkStopped() {
	if (stopping) await stopRun();
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
			for (const test of spec.tests ?? [])
				for (const result of test.results ?? []) addSuiteTime(`playwright ${file}`, Number(result.duration));
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

// ---- Skipped tests, by reason -------------------------------------------------------------------

/** runner + reason → file → count. @type {Map<string, Map<string, number>>} */
const skippedByReason = new Map();
/** Whole stages left out (no Chromium): printed with the skipped tests. @type {string[]} */
const stagesLeftOut = [];

/** @param {'vitest' | 'playwright'} runner @param {string} reason @param {string} file */
function addSkipped(runner, reason, file) {
	const key = `${runner}\t${reason}`;
	const files = skippedByReason.get(key) ?? new Map();
	files.set(file, (files.get(file) ?? 0) + 1);
	skippedByReason.set(key, files);
}

/**
 * Vitest's JSON report has no skip message: a reason is given as the test's or suite's meta
 * (`{ meta: { skipReason } }`, see tests/setup/skip-reason.ts); the rest are grouped by file.
 * @param {any} report
 */
function vitestSkipped(report) {
	for (const file of report?.testResults ?? []) {
		const name = path
			.relative(root, String(file.name ?? '?'))
			.split(path.sep)
			.join('/');
		for (const test of file.assertionResults ?? []) {
			if (!['skipped', 'pending', 'todo'].includes(test.status)) continue;
			const reason = test.meta?.skipReason ?? (test.status === 'todo' ? 'todo (not written yet)' : 'no reason given');
			addSkipped('vitest', String(reason), name);
		}
	}
}

/** Playwright's report keeps the reason as a `skip` (or `fixme`) annotation. @param {any} report */
function playwrightSkipped(report) {
	/** @param {any} suite @param {string} file */
	const walk = (suite, file) => {
		for (const spec of suite.specs ?? [])
			for (const test of spec.tests ?? []) {
				if (test.status !== 'skipped') continue;
				const annotations = [...(test.annotations ?? []), ...(test.results ?? []).flatMap((/** @type {any} */ r) => r.annotations ?? [])];
				const reason =
					annotations.find((a) => (a.type === 'skip' || a.type === 'fixme') && a.description)?.description ?? 'no reason given';
				addSkipped('playwright', `${reason} (${test.projectName})`, file);
			}
		for (const child of suite.suites ?? []) walk(child, file);
	};
	for (const suite of report?.suites ?? []) walk(suite, `tests/e2e/${suite.file ?? suite.title ?? '?'}`);
}

function printSkipped() {
	const groups = [...skippedByReason].map(([key, files]) => {
		const [runner = '', reason = ''] = key.split('\t');
		return { runner, reason, files, count: [...files.values()].reduce((a, b) => a + b, 0) };
	});
	if (groups.length === 0 && stagesLeftOut.length === 0) return;
	const total = groups.reduce((a, g) => a + g.count, 0);
	console.log(`\nSkipped: ${total} test${total === 1 ? '' : 's'}, by reason`);
	for (const stage of stagesLeftOut) console.log(`  ${'all'.padStart(5)}  ${stage}`);
	for (const g of groups.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))) {
		console.log(`  ${String(g.count).padStart(5)}  ${g.runner}: ${g.reason}`);
		const files = [...g.files].sort(([a], [b]) => a.localeCompare(b)).map(([file, n]) => `${file} (${n})`);
		console.log(`         ${files.join(', ')}`);
	}
}

// ---- The run -------------------------------------------------------------------------------------

// Vitest's server-process tests use the build as well as the journeys.
if (
	!(await timed('build', () => {
		try {
			buildIfNeeded();
			return true;
		} catch (error) {
			console.error(error instanceof Error ? error.message : error);
			return false;
		}
	}))
) {
	fs.rmSync(runTmp, { recursive: true, force: true });
	process.exit(1);
}
await checkStopped();

/** One Vitest run with its own JSON report, counted into the totals. @param {string} label @param {string} name @param {string[]} vitestArgs */
async function vitest(label, name, vitestArgs) {
	const out = path.join(resultsDir, `${name}.json`);
	fs.rmSync(out, { force: true });
	await timed(label, () =>
		run(process.execPath, [
			path.join(root, 'node_modules/vitest/vitest.mjs'),
			'run',
			'--reporter=default',
			'--reporter=json',
			`--outputFile.json=${out}`,
			// A filter meant for the journeys as well need not match a Vitest file.
			...(filters.length ? ['--passWithNoTests'] : []),
			...vitestArgs
		])
	);
	await checkStopped();
	const report = readJson(out);
	vitestSuiteTimes(report);
	vitestSkipped(report);
	if (report) {
		totals.passed += report.numPassedTests;
		totals.failed += report.numFailedTests;
		totals.skipped += report.numPendingTests + report.numTodoTests;
	} else failed = true;
}

// With filters, each runner runs only if a filter may be meant for it (see runnerOf).
if (!e2eOnly && (!filters.length || vitestFilters.length)) {
	// The database fault tests stop and start a PostgreSQL cluster of their own and time the answers:
	// they run on their own after the rest, not squeezed between other files on the same cores.
	const FAULTS = 'tests/faults';
	const faultFilters = vitestFilters.length ? vitestFilters.filter((f) => f.includes('faults')) : [FAULTS];
	const label = process.env.TEST_DATABASE_URL ? 'vitest (PostgreSQL)' : 'vitest (embedded PGlite)';
	if (!vitestFilters.length || faultFilters.length < vitestFilters.length)
		await vitest(label, 'vitest', [`--exclude=${FAULTS}/**`, ...vitestFilters]);
	if (process.env.HD_PGLITE_PASS)
		console.log('\n[tests] database fault tests: run in the PostgreSQL pass only (they bring their own cluster).');
	else if (faultFilters.length) await vitest('vitest (database faults, own cluster)', 'vitest-faults', faultFilters);
}

if (!unitOnly && (!filters.length || playwrightFilters.length)) {
	const chromium = chromiumPath();
	if (!chromium) {
		const message = 'No Chromium found (apt-get install chromium, or set CHROMIUM_PATH): the browser journeys cannot run.';
		if (mustRunE2E) {
			console.error(`\nFAIL: ${message}\n`);
			failed = true;
			totals.failed += 1;
		} else {
			console.warn(`\n${'!'.repeat(100)}\nSKIPPED ALL BROWSER JOURNEYS. ${message}\n${'!'.repeat(100)}\n`);
			stagesLeftOut.push(`playwright: every browser journey: ${message}`);
		}
	} else {
		// Outside the run's temporary directory: kept when the log shows personal data (see below).
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-e2e-'));
		onStop.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
		const serverLog = path.join(dataDir, 'server.log');
		const out = path.join(resultsDir, 'e2e.json');
		fs.rmSync(out, { force: true });
		// On PostgreSQL the journeys can read what the server wrote (e.g. a reset link in the outbox).
		const e2eDatabase = process.env.TEST_DATABASE_URL ? await createE2EDatabase(process.env.TEST_DATABASE_URL) : null;
		if (e2eDatabase) onStop.push(() => e2eDatabase.drop());
		await checkStopped();
		const env = {
			...(e2eDatabase ? { E2E_DATABASE_URL: e2eDatabase.url } : {}),
			CHROMIUM_PATH: chromium,
			E2E_PORT: String(await freePort()),
			E2E_DATA_DIR: dataDir,
			E2E_SERVER_LOG: serverLog,
			E2E_JSON: out
		};
		await timed('playwright (js + no-js)', () =>
			run(
				process.execPath,
				[
					path.join(root, 'node_modules/@playwright/test/cli.js'),
					'test',
					...(filters.length ? ['--pass-with-no-tests'] : []),
					...playwrightFilters
				],
				env
			)
		);
		await checkStopped();
		onStop.length = 0;
		if (e2eDatabase) await e2eDatabase.drop();
		const report = readJson(out);
		playwrightSuiteTimes(report);
		playwrightSkipped(report);
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

fs.rmSync(runTmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
if (filters.length && totals.passed + totals.failed + totals.skipped === 0) {
	console.error(`\nFAIL: no test matched ${filters.join(' ')} (files, folders under tests/, or parts of their names).`);
	failed = true;
}
if (suiteSeconds.size > 0) {
	console.log('\nTime per suite (summed over its files):');
	for (const [suite, seconds] of [...suiteSeconds].sort(([a], [b]) => a.localeCompare(b)))
		console.log(`  ${suite.padEnd(44)} ${seconds.toFixed(1).padStart(7)} s`);
}
console.log(`\n${timings.join('\n')}`);
printSkipped();
fs.writeFileSync(path.join(resultsDir, 'totals.json'), JSON.stringify(totals));
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.failed > 0 ? 1 : 0);
