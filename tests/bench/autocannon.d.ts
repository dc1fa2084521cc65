// The few parts of autocannon's programmatic API the bench uses (the package ships no types).
declare module 'autocannon' {
	import type { EventEmitter } from 'node:events';

	export interface Options {
		url: string;
		method?: string;
		headers?: Record<string, string>;
		body?: string;
		connections?: number;
		duration?: number;
		timeout?: number;
	}

	export interface Histogram {
		average: number;
		total: number;
	}

	export interface Result {
		duration: number;
		errors: number;
		timeouts: number;
		non2xx: number;
		requests: Histogram;
		statusCodeStats: Record<string, { count: number }>;
	}

	export interface Instance extends EventEmitter {
		stop(): void;
	}

	export default function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance;
}
