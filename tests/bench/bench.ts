// `npm run bench`: build, start the portal on a fresh PostgreSQL database, drive each scenario, print and save a Markdown table.
// BENCH_CONNECTIONS (default 50), BENCH_DURATION seconds per scenario (default 10), BENCH_DATABASE_URL (else a throw-away
// database on 127.0.0.1:5432). The same scenarios then run on the embedded database (PGlite, demo data) for a second
// column; BENCH_EMBEDDED=0 leaves it out. Arguments, if any, pick scenarios by name ('contention' for the two-process burst).
// Targets are reported, never enforced: exit 0. The participation pages at district scale are opt-in
// (BENCH_SCALE=large,tenth or the argument 'participation'): see participation.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIfNeeded, root } from '../../scripts/build-if-needed.js';
import { classIssue, classIssueLine, type ClassIssueResult } from './certificates';
import { contention, contentionLine, type ContentionResult } from './contention';
import { measure, type Measurement } from './load';
import { participationScales, participationScenarios, scaleDatabase } from './participation';
import { describeMachine, machineLine, procMemoryMiB } from './machine';
import { allTargetsMet, markdown } from './report';
import { LIVEZ, scenarios } from './scenarios';
import { benchDatabase, postgresVersion, startPortal, type Portal } from './server';

function positiveInt(name: string, fallback: number): number {
	const raw = process.env[name]?.trim();
	if (!raw) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not "${raw}".`);
	return value;
}

export async function main(args: string[]): Promise<number> {
	const connections = positiveInt('BENCH_CONNECTIONS', 50);
	const durationS = positiveInt('BENCH_DURATION', 10);
	const warmupS = Math.min(2, durationS);
	// The ratio column needs /livez in the same run, so it always runs, first.
	const scales = participationScales(args);
	const onlyScale = args.length > 0 && args.every((a) => a === 'participation');
	const chosen = scenarios.filter((s) => s.path === LIVEZ || (!onlyScale && (args.length === 0 || args.includes(s.name))));

	buildIfNeeded();
	const database = await benchDatabase();
	let portal: Portal | undefined;
	let cleaned: Promise<void> | undefined;
	const cleanup = () =>
		(cleaned ??= (async () => {
			await portal?.stop();
			await database.drop();
		})());
	const onSignal = (signal: NodeJS.Signals) => {
		console.error(`\n${signal}: stopping the server and dropping the bench database …`);
		void cleanup().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	try {
		const machine = machineLine(describeMachine(await postgresVersion(database.url)));
		console.log(`Machine: ${machine}`);
		console.log('Starting the portal (migrations and demo data on a fresh database) …');
		try {
			portal = await startPortal(root, database.url);
		} catch (error) {
			console.error(`The bench could not start the server: ${error instanceof Error ? error.message : String(error)}`);
			return 1;
		}
		console.log(`Serving on ${portal.baseUrl} (pid ${portal.pid}); ${connections} connections, ${durationS} s per scenario.`);

		const loadAvg = os.loadavg()[0] ?? 0;
		const rows: Measurement[] = [];
		for (const scenario of chosen) {
			process.stdout.write(`  ${scenario.name} (${scenario.method} ${scenario.path}) … `);
			const m = await measure(portal, scenario, { connections, durationS, warmupS });
			rows.push(m);
			console.log(`${Math.round(m.rps)} req/s, p99 ${m.p99.toFixed(1)} ms, status ${JSON.stringify(m.statusCodes)}`);
		}
		for (const scale of scales) {
			const data = await scaleDatabase(scale, (line) => console.log(line));
			const scaled = await startPortal(root, data.url);
			try {
				console.log(`The ${scale} data set on ${scaled.baseUrl} (pid ${scaled.pid}):`);
				for (const scenario of participationScenarios(scale)) {
					process.stdout.write(`  ${scenario.name} (${scenario.method} ${scenario.path}) … `);
					const m = await measure(scaled, scenario, { connections, durationS, warmupS });
					rows.push(m);
					console.log(`${Math.round(m.rps)} req/s, p95 ${m.p95.toFixed(1)} ms, status ${JSON.stringify(m.statusCodes)}`);
				}
			} finally {
				await scaled.stop();
				await data.drop();
			}
		}
		const serverPeakMiB = procMemoryMiB(portal.pid, 'VmHWM');
		// The second column: the same scenarios on the embedded database at demo scale, as `npm start`
		// runs on a new machine (one process owns the data, so no contention burst and no class issue).
		const embedded = new Map<string, Measurement>();
		let embeddedPeakMiB: number | undefined;
		if (!onlyScale && process.env.BENCH_EMBEDDED !== '0') {
			const local = await startPortal(root, undefined);
			try {
				console.log(`The embedded database (PGlite) on ${local.baseUrl} (pid ${local.pid}):`);
				for (const scenario of chosen) {
					process.stdout.write(`  ${scenario.name} (${scenario.method} ${scenario.path}) … `);
					const m = await measure(local, scenario, { connections, durationS, warmupS });
					embedded.set(scenario.name, m);
					console.log(`${Math.round(m.rps)} req/s, p99 ${m.p99.toFixed(1)} ms, status ${JSON.stringify(m.statusCodes)}`);
				}
				embeddedPeakMiB = procMemoryMiB(local.pid, 'VmHWM');
			} finally {
				await local.stop();
			}
		}
		let burst: ContentionResult | undefined;
		if (!onlyScale && (args.length === 0 || args.includes('contention'))) {
			process.stdout.write('  contention (500 bookings for 20 places, two server processes) … ');
			burst = await contention(root, portal);
			console.log(`${burst.reserved} reserved, ${burst.waitlisted} waitlisted in ${Math.round(burst.elapsedMs)} ms`);
		}
		let issue: ClassIssueResult | undefined;
		if (args.length === 0 || args.includes('class issue')) {
			process.stdout.write('  class issue (60 certificates and their PDFs) … ');
			issue = await classIssue(portal);
			console.log(`${issue.issued} issued, ${issue.pages} pages in ${Math.round(issue.issueMs + issue.pdfMs)} ms`);
		}
		const table =
			markdown(rows, {
				machine,
				connections,
				durationS,
				warmupS,
				loadAvg,
				serverPeakMiB,
				embedded,
				embeddedPeakMiB,
				date: new Date()
			}) +
			(burst ? `\n${contentionLine(burst)}\n` : '') +
			(issue ? `\n${classIssueLine(issue)}\n` : '');
		const out = path.join(root, 'tests', 'bench', 'results', 'latest.md');
		fs.mkdirSync(path.dirname(out), { recursive: true });
		fs.writeFileSync(out, table);
		console.log(`\n${table}`);
		const met = allTargetsMet(rows) && (burst?.ok ?? true) && (issue?.ok ?? true);
		console.log(`Written to ${path.relative(root, out)}.${met ? '' : ' Some targets were missed (see "met?" and the contention line).'}`);
		return 0;
	} finally {
		await cleanup();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}
