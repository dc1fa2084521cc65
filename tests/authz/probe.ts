/** Shared by the authorisation suites: one portal on the fixture, a logged-in client per person. */
import { expect } from 'vitest';
import { startPortal, type Portal } from '../admin/portal';
import { Client } from '../helpers/http';
import { DEMO_LOGINS, DEMO_PASSWORD, FACTORY_PASSWORD, makeFixture, ROLES, type Fixture, type Who } from './fixture';

export type Setup = { portal: Portal; fixture: Fixture; clients: Record<Who, Client> };

export async function startAuthzPortal(env: Record<string, string> = {}): Promise<Omit<Setup, 'clients'>> {
	let fixture: Fixture | undefined;
	// The worker stays off: nothing may change the fixture between the requests and the counts.
	const portal = await startPortal(
		async (db) => {
			fixture = await makeFixture(db);
		},
		{ DEMO: '1', WORKER_INTERVAL_SECONDS: '0', ...env }
	);
	return { portal, fixture: fixture! };
}

export async function login(url: string, phone: string, password: string): Promise<Client> {
	const client = new Client(url);
	const response = await client.login(phone, password);
	expect(response.status, `log-in of ${phone}`).toBe(303);
	expect(response.headers.get('location')).toBe('/');
	return client;
}

export async function clientsFor(url: string): Promise<Record<Who, Client>> {
	const entries = await Promise.all(
		ROLES.map(async (who) => [who, who === 'anonymous' ? new Client(url) : await login(url, DEMO_LOGINS[who], DEMO_PASSWORD)] as const)
	);
	return Object.fromEntries(entries) as Record<Who, Client>;
}

export const loginOther = (url: string, phone: string) => login(url, phone, FACTORY_PASSWORD);

/** Runs `tasks` with at most `width` at a time (the machine is shared: modest parallelism). */
export async function inParallel<T>(tasks: (() => Promise<T>)[], width = 4): Promise<T[]> {
	const results: T[] = new Array(tasks.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(width, tasks.length) }, async () => {
			while (next < tasks.length) {
				const i = next++;
				results[i] = await tasks[i]!();
			}
		})
	);
	return results;
}

/** What a user would see: 'login' for the log-in redirect, { to } for another redirect, else the status. */
export function outcomeOf(response: Response): number | 'login' | { to: string } {
	if (response.status === 303 || response.status === 302 || response.status === 307) {
		const to = new URL(response.headers.get('location') ?? '', 'http://x').pathname;
		return to === '/login' ? 'login' : { to };
	}
	return response.status;
}
