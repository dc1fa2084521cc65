// Drives one scenario with autocannon and samples the server's resident memory while it runs.
import autocannon, { type Result } from 'autocannon';
import { procMemoryMiB } from './machine';
import type { Scenario } from './scenarios';
import type { Portal } from './server';

export interface Measurement {
	scenario: Scenario;
	rps: number;
	p50: number;
	p95: number;
	p99: number;
	non2xx: number;
	errors: number;
	statusCodes: Record<string, number>;
	peakRssMiB?: number;
}

export interface LoadOptions {
	connections: number;
	durationS: number;
}

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function fire(url: string, scenario: Scenario, extra: Awaited<ReturnType<NonNullable<Scenario['setup']>>>, opts: LoadOptions) {
	const latencies: number[] = [];
	const result = new Promise<Result>((resolve, reject) => {
		const instance = autocannon(
			{
				url,
				method: scenario.method,
				headers: { ...scenario.headers, ...extra.headers },
				body: extra.body ?? scenario.body,
				...(scenario.perRequestHeaders
					? {
							requests: [
								{
									setupRequest: (request: { headers?: Record<string, string> }) => ({
										...request,
										headers: { ...request.headers, ...scenario.perRequestHeaders!() }
									})
								}
							]
						}
					: {}),
				connections: opts.connections,
				duration: opts.durationS
			},
			(error, res) => (error ? reject(error) : resolve(res))
		);
		instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
	});
	return { latencies, result };
}

export async function measure(portal: Portal, scenario: Scenario, opts: LoadOptions & { warmupS: number }): Promise<Measurement> {
	const extra = (await scenario.setup?.(portal)) ?? {};
	const url = portal.baseUrl + (extra.path ?? scenario.path);
	await fire(url, scenario, extra, { ...opts, durationS: opts.warmupS }).result;

	let peakRssMiB: number | undefined;
	const sample = () => {
		const rss = procMemoryMiB(portal.pid, 'VmRSS');
		if (rss !== undefined) peakRssMiB = Math.max(peakRssMiB ?? 0, rss);
	};
	const sampler = setInterval(sample, 200);
	try {
		const run = fire(url, scenario, extra, opts);
		const res = await run.result;
		sample();
		const sorted = run.latencies.sort((a, b) => a - b);
		return {
			scenario,
			rps: res.requests.total / res.duration,
			p50: percentile(sorted, 50),
			p95: percentile(sorted, 95),
			p99: percentile(sorted, 99),
			non2xx: res.non2xx,
			errors: res.errors,
			statusCodes: Object.fromEntries(Object.entries(res.statusCodeStats).map(([code, s]) => [code, s.count])),
			peakRssMiB
		};
	} finally {
		clearInterval(sampler);
	}
}
