// The certificate scenarios of PRODUCT §12: the public verification page (target p95 < 20 ms), and a
// class of 60 certificates issued through the trainer's real HTTP action with all 60 PDFs made
// (target under 5 s). Visitors come from many addresses (the bench server trusts X-Forwarded-For),
// so the per-address look-up limit stays what it is and is not what gets measured.
import { sql } from 'kysely';
import { createSession } from '../../src/lib/server/auth/session';
import { openPostgres } from '../../src/lib/server/db/connect';
import { createPerson } from '../helpers/factories';
import { newSession } from '../training/helpers';
import type { Scenario } from './scenarios';
import type { Portal } from './server';

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
	const handle = openPostgres(portal.databaseUrl, 4);
	try {
		const db = handle.db;
		const session = await newSession(db, { capacity: size });
		// Moved to yesterday: the services rightly refuse to create sessions in the past.
		await sql`UPDATE occurrence SET starts_at = now() - interval '1 day', ends_at = now() - interval '1 day' + interval '2 hours'
			WHERE id = ${session.occurrenceId}`.execute(db);
		const skills = await db.selectFrom('training_skill').select('id').where('course_id', '=', session.courseId).execute();
		const FAMILY = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '欧阳', '司马'];
		const GIVEN = ['秀英', '建国', '小明', '丽华', '志强', '海燕', '伟', '敏', '晓梅', '德胜'];
		const reservations: number[] = [];
		for (let i = 0; i < size; i++) {
			const person = await createPerson(db, {
				familyName: FAMILY[i % FAMILY.length]!,
				givenName: GIVEN[i % GIVEN.length]!,
				communityId: session.communityId
			});
			const row = await sql<{ id: number }>`
				INSERT INTO reservation (occurrence_id, person_id, status, during, checked_in_at, created_at, updated_at)
				SELECT o.id, ${person.id}, 'attended', tstzrange(o.starts_at, o.ends_at, '[)'), o.starts_at, now(), now()
				FROM occurrence o WHERE o.id = ${session.occurrenceId} RETURNING id`.execute(db);
			const reservationId = Number(row.rows[0]!.id);
			reservations.push(reservationId);
			await db
				.insertInto('training_assessment')
				.values(
					skills.map((s) => ({
						reservation_id: reservationId,
						skill_id: s.id,
						passed: true,
						note: null,
						assessed_by: null,
						assessed_at: new Date()
					}))
				)
				.execute();
		}
		const names = await db
			.selectFrom('reservation')
			.innerJoin('person', 'person.id', 'reservation.person_id')
			.select(['reservation.id', 'person.family_name', 'person.given_name'])
			.where('reservation.id', 'in', reservations)
			.execute();
		const form = new URLSearchParams({ confirm: '1' });
		for (const n of names) {
			form.set(`family${n.id}`, n.family_name);
			form.set(`given${n.id}`, n.given_name);
		}
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
