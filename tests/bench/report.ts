// Turns measurements into a Markdown table that pastes straight into the README.
import type { Measurement } from './load';
import { LIVEZ, type Target } from './scenarios';

export interface RunInfo {
	machine: string;
	connections: number;
	durationS: number;
	warmupS: number;
	/** 1-minute load average just before the first scenario: other work on the machine skews everything. */
	loadAvg: number;
	serverPeakMiB?: number;
	/** The same scenarios on the embedded database (PGlite), by scenario name. */
	embedded?: Map<string, Measurement>;
	embeddedPeakMiB?: number;
	date: Date;
}

const HEADER = [
	'Scenario',
	'Request',
	'req/s',
	'vs /livez',
	'p50 ms',
	'p95 ms',
	'p99 ms',
	'non-2xx',
	'errors',
	'peak RSS',
	'target',
	'met?',
	'embedded req/s',
	'embedded p95 ms',
	'embedded p99 ms'
];
/** Every column but the words (scenario, request, target, verdict) holds a number: right-aligned. */
const RIGHT = new Set(HEADER.filter((h) => !['Scenario', 'Request', 'target', 'met?'].includes(h)));

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const mib = (v: number | undefined) => (v === undefined ? '–' : `${Math.round(v)} MiB`);

function describeTarget(t: Target): string {
	const parts: string[] = [];
	if (t.minLivezRatio !== undefined) parts.push(`≥ ${t.minLivezRatio}× livez`);
	if (t.maxP95Ms !== undefined) parts.push(`p95 < ${t.maxP95Ms} ms`);
	if (t.maxP99Ms !== undefined) parts.push(`p99 < ${t.maxP99Ms} ms`);
	return parts.join(', ');
}

/** 'yes', or 'NO' with what missed; a fast error page meets no target. */
function verdict(m: Measurement, t: Target, ratio: number | undefined): string {
	const missed: string[] = [];
	if (m.errors > 0 || m.non2xx > 0) missed.push('errors');
	if (t.minLivezRatio !== undefined && !(ratio !== undefined && ratio >= t.minLivezRatio)) missed.push('rps');
	if (t.maxP95Ms !== undefined && !(m.p95 < t.maxP95Ms)) missed.push('p95');
	if (t.maxP99Ms !== undefined && !(m.p99 < t.maxP99Ms)) missed.push('p99');
	return missed.length === 0 ? 'yes' : `**NO** (${missed.join(', ')})`;
}

export function allTargetsMet(rows: Measurement[]): boolean {
	const base = rows.find((m) => m.scenario.path === LIVEZ)?.rps;
	return rows.every((m) => !m.scenario.target || verdict(m, m.scenario.target, base ? m.rps / base : undefined) === 'yes');
}

export function markdown(rows: Measurement[], info: RunInfo): string {
	const base = rows.find((m) => m.scenario.path === LIVEZ)?.rps;
	const cells = rows.map((m) => {
		const ratio = base ? m.rps / base : undefined;
		const t = m.scenario.target;
		const local = info.embedded?.get(m.scenario.name);
		// A fast error page is no figure: the embedded cells say so instead of a number.
		const localFailed = local !== undefined && (local.errors > 0 || local.non2xx > 0);
		return [
			m.scenario.name,
			`\`${m.scenario.method} ${m.scenario.path}\``,
			Math.round(m.rps).toString(),
			ratio === undefined ? '–' : `${ratio.toFixed(2)}×`,
			ms(m.p50),
			ms(m.p95),
			ms(m.p99),
			m.non2xx.toString(),
			m.errors.toString(),
			mib(m.peakRssMiB),
			t ? describeTarget(t) : '',
			t ? verdict(m, t, ratio) : '',
			local === undefined ? '–' : localFailed ? `errors (${local.non2xx + local.errors})` : Math.round(local.rps).toString(),
			local === undefined || localFailed ? '–' : ms(local.p95),
			local === undefined || localFailed ? '–' : ms(local.p99)
		];
	});
	const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]?.length ?? 0)));
	const line = (row: string[]) =>
		`| ${row.map((c, i) => (RIGHT.has(HEADER[i] ?? '') ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
	const rule = `|${widths.map((w, i) => (RIGHT.has(HEADER[i] ?? '') ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
	const when = info.date.toISOString().slice(0, 16).replace('T', ' ');
	return [
		`Machine: ${info.machine}. Load generator, server and database on this one machine.`,
		`Run: ${when} UTC, ${info.connections} connections, ${info.durationS} s per scenario after a ${info.warmupS} s warm-up, ` +
			`real PostgreSQL, load average ${info.loadAvg.toFixed(2)} at start.`,
		'',
		line(HEADER),
		rule,
		...cells.map(line),
		'',
		`Server peak memory (VmHWM) over the whole run: ${mib(info.serverPeakMiB)} on PostgreSQL` +
			(info.embedded?.size ? `, ${mib(info.embeddedPeakMiB)} on the embedded database (PGlite runs inside the server process)` : '') +
			'. Peak RSS is sampled every 200 ms during each scenario. The embedded columns are the same scenarios on PGlite ' +
			'with the demo data (no targets: those are set for real PostgreSQL).',
		''
	].join('\n');
}
