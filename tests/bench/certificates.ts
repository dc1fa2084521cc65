// The certificate scenarios of the README's performance targets: the public verification page (target p95 < 20 ms), and a
// class of 60 certificates issued through the trainer's real HTTP action with all 60 PDFs made
// (target under 5 s). Visitors come from many addresses (the bench server trusts X-Forwarded-For),
// so the per-address look-up limit stays what it is and is not what gets measured.
import { createSession } from '../../src/lib/server/auth/session';
import { openPostgres } from '../../src/lib/server/db/connect';
import { issueForm, passedClass } from '../certificates/helpers';
import type { Scenario } from './scenarios';
import { DEMO_RESIDENT } from './doctors';
import { loginCookie, postgresUrlOf, type Portal } from './server';

/** A fresh visitor address per request, from a private /8. */
export function visitorAddress(): Record<string, string> {
	const octet = () => Math.floor(Math.random() * 256);
	return { 'x-forwarded-for': `10.${octet()}.${octet()}.${octet()}` };
}

export const certificateScenarios: Scenario[] = [
	{
		name: 'verification page',
		method: 'GET',
		path: '/verify',
		perRequestHeaders: visitorAddress,
		target: { maxP95Ms: 20 },
		// The demo resident's valid basic first-aid certificate, as its QR code links to it.
		setup: async (portal) => {
			if (portal.databaseUrl === undefined) return { path: await verifyLinkOverHttp(portal) };
			const handle = openPostgres(portal.databaseUrl, 1);
			try {
				const row = await handle.db
					.selectFrom('certificate')
					.select('verification_code')
					.where('revoked_at', 'is', null)
					.orderBy('valid_until', 'desc')
					.executeTakeFirstOrThrow();
				return { path: `/verify/${row.verification_code}` };
			} finally {
				await handle.close();
			}
		}
	}
];

/**
 * On the embedded database only the server process can open the data, so the bench reads the link as
 * the holder does: the demo resident's first certificate page that is not revoked shows its link.
 */
async function verifyLinkOverHttp(portal: Portal): Promise<string> {
	const cookie = await loginCookie(portal, DEMO_RESIDENT);
	const page = (path: string) => fetch(portal.baseUrl + path, { headers: { cookie } }).then((r) => r.text());
	const ids = [...(await page('/me/certificates')).matchAll(/href="\/me\/certificates\/(\d+)"/g)].map((m) => m[1]!);
	for (const id of new Set(ids)) {
		const html = await page(`/me/certificates/${id}`);
		const code = /\/verify\/([A-Za-z0-9]+)/.exec(html)?.[1];
		if (code && !/revoked|已撤销/.test(html)) return `/verify/${code}`;
	}
	throw new Error('bench: the demo resident has no certificate with a verification link');
}

export interface ClassIssueResult {
	size: number;
	issued: number;
	pages: number;
	issueMs: number;
	pdfMs: number;
	pdfKiB: number;
	ok: boolean;
}

/** 60 trainees who attended and passed every skill yesterday; their trainer issues and prints the class. */
export async function classIssue(portal: Portal, size = 60): Promise<ClassIssueResult> {
	const handle = openPostgres(postgresUrlOf(portal), 4);
	try {
		const db = handle.db;
		const { session, trainees } = await passedClass(db, size);
		const reservations = trainees.map((t) => t.reservationId);
		const form = issueForm(trainees);
		const { token } = await createSession(db, session.trainerAccountId);
		const headers = { origin: portal.baseUrl, cookie: `hd_session=${token}` };

		const started = performance.now();
		const issued = await fetch(`${portal.baseUrl}/trainer/sessions/${session.occurrenceId}/certificates?/issue`, {
			method: 'POST',
			headers: {
				...headers,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
				'x-sveltekit-action': 'true'
			},
			body: form.toString()
		});
		const answer = (await issued.json()) as { type?: string };
		const issueMs = performance.now() - started;
		const pdf = await fetch(`${portal.baseUrl}/trainer/sessions/${session.occurrenceId}/certificates/pdf`, { headers });
		const bytes = Buffer.from(await pdf.arrayBuffer());
		const pdfMs = performance.now() - started - issueMs;
		const count = await db
			.selectFrom('certificate')
			.select(({ fn }) => fn.countAll<string>().as('n'))
			.where('reservation_id', 'in', reservations)
			.executeTakeFirstOrThrow();
		const pages = pdf.status === 200 ? (bytes.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length : 0;
		return {
			size,
			issued: Number(count.n),
			pages,
			issueMs,
			pdfMs,
			pdfKiB: bytes.length / 1024,
			ok: answer.type === 'success' && Number(count.n) === size && pages === size && issueMs + pdfMs < 5000
		};
	} finally {
		await handle.close();
	}
}

export function classIssueLine(r: ClassIssueResult): string {
	return (
		`Class issue: ${r.size} trainees → ${r.issued} certificates issued through the trainer's action in ${Math.round(r.issueMs)} ms, ` +
		`all ${r.pages} pages of the class PDF (${Math.round(r.pdfKiB)} KiB) made in ${Math.round(r.pdfMs)} ms; ` +
		`${((r.issueMs + r.pdfMs) / 1000).toFixed(1)} s in all — target under 5 s: ${r.ok ? 'met' : '**NOT met**'}.`
	);
}
