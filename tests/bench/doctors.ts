// The family doctor scenarios: a doctor's free times (public), and the booking action under contention.
import type { Scenario } from './scenarios';
import { loginCookie, type Portal } from './server';

export const DEMO_RESIDENT = { login: '13800000001', password: 'Dongmen-demo-2026' };

/** The first free slot Dr Chen (doctor 1 of the demo data) offers. */
async function freeSlot(portal: Portal): Promise<string> {
	const html = await (await fetch(`${portal.baseUrl}/doctors/1`)).text();
	const match = /href="\/doctors\/1\/book\?start=([^"]+)"/.exec(html);
	if (!match) throw new Error('bench: doctor 1 has no free slot');
	return decodeURIComponent(match[1]!);
}

export const doctorScenarios: Scenario[] = [
	// A doctor's days and free times for the fortnight, derived from the weekly hours on each request.
	{ name: 'doctor slots', method: 'GET', path: '/doctors/1' },
	// Everyone wants the same slot: the first request books it, every later one is told "just taken"
	// and gets the nearest free times (the path a busy morning's latecomers take).
	{
		name: 'doctor booking',
		method: 'POST',
		path: '/doctors/1/book',
		setup: async (portal) => {
			const [cookie, start] = await Promise.all([loginCookie(portal, DEMO_RESIDENT), freeSlot(portal)]);
			return {
				path: `/doctors/1/book?start=${encodeURIComponent(start)}&/book`,
				headers: {
					cookie,
					origin: portal.baseUrl,
					accept: 'application/json',
					'x-sveltekit-action': 'true',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: new URLSearchParams({ start, service: 'consultation', reason: '' }).toString()
			};
		}
	}
];
