/**
 * A database outage in the log: one warning when requests start being refused, one line when the
 * database answers again with the count of refused requests — not a warning per request.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { createOutageLog } from '../../src/lib/server/db/outage-log';

afterEach(() => vi.restoreAllMocks());

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const until = async (done: () => boolean) => {
	for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

it('logs an outage once when it starts and once when it ends, with the number of requests refused meanwhile', async () => {
	const lines: Record<string, unknown>[] = [];
	vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
		for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
		return true;
	});
	let up = false;
	let probes = 0;
	const outage = createOutageLog(async () => {
		probes++;
		if (!up) throw refused();
	}, 5);

	for (let i = 0; i < 40; i++) outage.refused({ id: `request-${i}`, route: '/me/appointments' }, refused());
	await until(() => probes >= 5);
	expect(lines.map((l) => l.event)).toEqual(['database_unavailable']);
	expect(lines[0]).toMatchObject({ level: 'warn', id: 'request-0', route: '/me/appointments', error: 'Error' });
	expect(outage.active).toBe(true);

	up = true;
	await until(() => !outage.active);
	expect(lines.map((l) => l.event)).toEqual(['database_unavailable', 'database_available']);
	expect(lines[1]).toMatchObject({ level: 'info', refused: 40 });
	// No more probing once it is back; the next outage is logged again.
	const after = probes;
	await new Promise((r) => setTimeout(r, 50));
	expect(probes).toBe(after);
	outage.refused({ id: 'later', route: null }, refused());
	expect(lines.map((l) => l.event)).toEqual(['database_unavailable', 'database_available', 'database_unavailable']);
	expect(lines[2]).toMatchObject({ route: 'unmatched' });
	up = true;
	await until(() => !outage.active);
});
