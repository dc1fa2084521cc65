/**
 * Group enrolment from a CSV roster: a school class or an employer's team at once.
 *
 * The whole file is checked before anything is written, and every bad row is reported with its
 * line number; only a clean file is imported, in one transaction, through the booking core (each
 * pupil gets an ordinary reservation). A row matches an existing person only when phone and name
 * both agree; the same phone under another name is a conflict, never merged (school rosters often
 * carry a parent's phone). Rows without a phone make a new person. Pupils under 14 need the staff
 * member's confirmation that a guardian consented, and that confirmation is stored per enrolment.
 */
import { sql, type Kysely } from 'kysely';
import { audit } from '../audit';
import { normalizePhone } from '../auth/identifiers';
import { now, shanghaiDate } from '../clock';
import { INVISIBLE_FORMATTING } from '../text';
import type { Database } from '../db/schema';
import { isCapacityViolation, reserveIn } from '../booking/reservations';
import { HOLDING, LIVE, type Refusal } from '../booking/model';
import { insertPerson, staffCovers, type Actor } from '../people/people';
import { decodeRoster, parseCsv, readHeader, type Encoding, type HeaderMap, type RowProblem } from './roster-csv';

/** More rows than this is not a class or a team: refused before any look-up. */
export const MAX_ROSTER_ROWS = 1000;
const MAX_NAME = 30;

export type RosterRow = {
	line: number;
	familyName: string;
	givenName: string;
	phone: string | null;
	birthYear: number | null;
	under14: boolean;
	personId: number | null;
};

export type RosterOutcome =
	| { ok: true; importId: number; imported: number; created: number; matched: number; consents: number }
	| { ok: false; reason: 'not-found' | 'out-of-scope' | 'cancelled' | 'started' | 'busy' }
	| { ok: false; reason: 'unreadable'; problem: RowProblem }
	| { ok: false; reason: 'bad-rows'; problems: RowProblem[] }
	| { ok: false; reason: 'too-many'; rows: number; placesLeft: number }
	| { ok: false; reason: 'consent'; lines: number[] };

type Session = { id: number; communityId: number; startsAt: Date; capacity: number; cancelled: boolean };

async function sessionFor(db: Kysely<Database>, occurrenceId: number): Promise<Session | null> {
	const row = await db
		.selectFrom('training_session')
		.innerJoin('occurrence', 'occurrence.id', 'training_session.occurrence_id')
		.select(['occurrence.id', 'occurrence.community_id', 'occurrence.starts_at', 'occurrence.capacity', 'occurrence.cancelled_at'])
		.where('occurrence.id', '=', occurrenceId)
		.executeTakeFirst();
	if (!row || row.community_id === null) return null;
	return {
		id: row.id,
		communityId: row.community_id,
		startsAt: row.starts_at,
		capacity: row.capacity,
		cancelled: row.cancelled_at !== null
	};
}

/** A birth date as Excel or a person writes it: 2014-05-03, 2014/5/3, 2014.05.03. */
function readBirthDate(raw: string): [number, number, number] | null {
	const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(raw);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const date = new Date(Date.UTC(y, mo - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? [y, mo, d] : null;
}

// Control characters, lone surrogates and invisible formatting have no place in a name.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** One data row: its fields, or what is wrong with it. `sessionDay` decides who is under 14. */
function readRow(line: number, cells: string[], header: HeaderMap, sessionDay: string): RosterRow | RowProblem {
	const cell = (column: keyof HeaderMap) => {
		const index = header[column];
		return index === undefined ? '' : (cells[index] ?? '').trim().normalize('NFC');
	};
	const familyName = cell('familyName');
	const givenName = cell('givenName');
	if (!familyName || !givenName) return { line, key: 'training.roster.row.missingName' };
	if (
		UNPRINTABLE.test(familyName + givenName) ||
		INVISIBLE_FORMATTING.test(familyName + givenName) ||
		[...familyName].length > MAX_NAME ||
		[...givenName].length > MAX_NAME
	)
		return { line, key: 'training.roster.row.badName' };
	const rawPhone = cell('phone');
	const phone = rawPhone ? normalizePhone(rawPhone) : null;
	if (rawPhone && !phone) return { line, key: 'training.roster.row.badPhone', params: { phone: rawPhone.slice(0, 20) } };

	const [sy, sm, sd] = sessionDay.split('-').map(Number) as [number, number, number];
	let birthYear: number | null = null;
	let under14 = false;
	const rawDate = cell('birthDate');
	const rawYear = cell('birthYear');
	if (rawDate) {
		const date = readBirthDate(rawDate);
		if (!date || date[0] < 1900 || date.join('-') > [sy, sm, sd].join('-'))
			return { line, key: 'training.roster.row.badBirth', params: { value: rawDate.slice(0, 20) } };
		const [y, m, d] = date;
		birthYear = y;
		const age = sy - y - (sm < m || (sm === m && sd < d) ? 1 : 0);
		under14 = age < 14;
	} else if (rawYear) {
		if (!/^\d{4}$/.test(rawYear) || Number(rawYear) < 1900 || Number(rawYear) > sy)
			return { line, key: 'training.roster.row.badBirth', params: { value: rawYear.slice(0, 20) } };
		birthYear = Number(rawYear);
		// With the year alone, anyone who may not have had their 14th birthday yet counts as under 14.
		under14 = sy - birthYear <= 14;
	}
	return { line, familyName, givenName, phone, birthYear, under14, personId: null };
}

/** Reads and checks the whole file against the database; writes nothing. */
export async function checkRoster(
	db: Kysely<Database>,
	session: Session,
	bytes: Uint8Array
): Promise<{ ok: true; rows: RosterRow[]; encoding: Encoding } | Extract<RosterOutcome, { reason: 'unreadable' | 'bad-rows' }>> {
	if (bytes.length === 0) return { ok: false, reason: 'unreadable', problem: { line: 1, key: 'training.roster.file.empty' } };
	const { text, encoding } = decodeRoster(bytes);
	const records = parseCsv(text);
	if (!records) return { ok: false, reason: 'unreadable', problem: { line: 1, key: 'training.roster.file.quotes' } };
	const [head, ...data] = records;
	const header = head ? readHeader(head.cells) : null;
	if (!head || !header) return { ok: false, reason: 'unreadable', problem: { line: head?.line ?? 1, key: 'training.roster.file.header' } };
	if (data.length === 0) return { ok: false, reason: 'unreadable', problem: { line: head.line, key: 'training.roster.file.noRows' } };
	if (data.length > MAX_ROSTER_ROWS)
		return {
			ok: false,
			reason: 'unreadable',
			problem: { line: head.line, key: 'training.roster.file.tooLarge', params: { max: MAX_ROSTER_ROWS } }
		};

	const sessionDay = shanghaiDate(session.startsAt);
	const problems: RowProblem[] = [];
	const rows: RosterRow[] = [];
	const seen = new Map<string, number>();
	for (const record of data) {
		const row = readRow(record.line, record.cells, header, sessionDay);
		if ('key' in row) {
			problems.push(row);
			continue;
		}
		const identity = `${row.familyName}\u0000${row.givenName}\u0000${row.phone ?? ''}`;
		const first = seen.get(identity);
		if (first !== undefined) {
			problems.push({ line: row.line, key: 'training.roster.row.duplicate', params: { first } });
			continue;
		}
		seen.set(identity, row.line);
		rows.push(row);
	}

	// Phone and name must both agree to be the same person.
	const phones = [...new Set(rows.map((r) => r.phone).filter((p): p is string => p !== null))];
	const known = new Map<string, { id: number; family_name: string; given_name: string }[]>();
	for (let i = 0; i < phones.length; i += 500) {
		const found = await db
			.selectFrom('person')
			.select(['id', 'phone', 'family_name', 'given_name'])
			.where('phone', 'in', phones.slice(i, i + 500))
			.orderBy('id')
			.execute();
		for (const p of found) known.set(p.phone!, [...(known.get(p.phone!) ?? []), p]);
	}
	for (const row of rows) {
		if (!row.phone) continue;
		const withPhone = known.get(row.phone) ?? [];
		const same = withPhone.find((p) => p.family_name === row.familyName && p.given_name === row.givenName);
		if (same) row.personId = same.id;
		else if (withPhone.length > 0) problems.push({ line: row.line, key: 'training.roster.row.conflict', params: { phone: row.phone } });
	}

	// People already on this session, or holding a place elsewhere at the same time.
	const matched = rows.filter((r) => r.personId !== null);
	for (let i = 0; i < matched.length; i += 500) {
		const chunk = matched.slice(i, i + 500);
		const ids = chunk.map((r) => r.personId!);
		const already = await db
			.selectFrom('reservation')
			.select('person_id')
			.where('occurrence_id', '=', session.id)
			.where('person_id', 'in', ids)
			.where('status', 'in', LIVE)
			.execute();
		const busy = await db
			.selectFrom('reservation')
			.innerJoin('occurrence', 'occurrence.id', 'reservation.occurrence_id')
			.select('reservation.person_id')
			.where('reservation.person_id', 'in', ids)
			.where('reservation.occurrence_id', '!=', session.id)
			.where('reservation.status', 'in', HOLDING)
			.where(sql<boolean>`reservation.during && (SELECT tstzrange(starts_at, ends_at, '[)') FROM occurrence WHERE id = ${session.id})`)
			.execute();
		const enrolled = new Set(already.map((r) => r.person_id));
		const overlapping = new Set(busy.map((r) => r.person_id));
		for (const row of chunk) {
			if (enrolled.has(row.personId!)) problems.push({ line: row.line, key: 'training.roster.row.already' });
			else if (overlapping.has(row.personId!)) problems.push({ line: row.line, key: 'training.roster.row.overlap' });
		}
	}
	if (problems.length > 0) return { ok: false, reason: 'bad-rows', problems: problems.sort((a, b) => a.line - b.line) };
	return { ok: true, rows, encoding };
}

async function placesLeft(db: Kysely<Database>, session: Session): Promise<number> {
	const held = await db
		.selectFrom('reservation')
		.select(({ fn }) => fn.countAll<number>().as('n'))
		.where('occurrence_id', '=', session.id)
		.where('status', 'in', HOLDING)
		.executeTakeFirstOrThrow();
	return Math.max(0, session.capacity - Number(held.n));
}

/** A row the booking core refused while importing: the whole import is rolled back. */
class RowRefused extends Error {
	constructor(
		readonly line: number,
		readonly refusal: Refusal
	) {
		super(`roster line ${line} refused: ${refusal}`);
	}
}

const ROW_REFUSAL_KEYS: Partial<Record<Refusal, RowProblem['key']>> = {
	already: 'training.roster.row.already',
	overlap: 'training.roster.row.overlap'
};

/**
 * Checks the roster and, when it is clean, fits the places left and has every needed consent,
 * enrols everyone in one transaction. `consentConfirmed`: the staff member confirms that a guardian
 * consented for each pupil under 14 on the roster.
 */
export async function importRoster(
	db: Kysely<Database>,
	actor: Actor,
	input: { occurrenceId: number; bytes: Uint8Array; consentConfirmed: boolean }
): Promise<RosterOutcome> {
	const session = await sessionFor(db, input.occurrenceId);
	if (!session) return { ok: false, reason: 'not-found' };
	if (!staffCovers(actor, session.communityId)) return { ok: false, reason: 'out-of-scope' };
	if (session.cancelled) return { ok: false, reason: 'cancelled' };
	if (session.startsAt.getTime() <= now().getTime()) return { ok: false, reason: 'started' };

	const checked = await checkRoster(db, session, input.bytes);
	if (!checked.ok) return checked;
	const { rows, encoding } = checked;
	const left = await placesLeft(db, session);
	if (rows.length > left) return { ok: false, reason: 'too-many', rows: rows.length, placesLeft: left };
	const young = rows.filter((r) => r.under14).map((r) => r.line);
	if (young.length > 0 && !input.consentConfirmed) return { ok: false, reason: 'consent', lines: young };

	try {
		return await db.transaction().execute(async (trx): Promise<RosterOutcome> => {
			// The occurrence row is the lock every booking takes first: count again under it.
			await trx.selectFrom('occurrence').select('id').where('id', '=', session.id).forUpdate().execute();
			const leftNow = await placesLeft(trx, session);
			if (rows.length > leftNow) return { ok: false, reason: 'too-many', rows: rows.length, placesLeft: leftNow };
			const at = now();
			const record = await trx
				.insertInto('training_roster_import')
				.values({
					occurrence_id: session.id,
					imported_by: actor.accountId,
					imported_at: at,
					encoding,
					row_count: rows.length,
					people_created: rows.filter((r) => r.personId === null).length,
					people_matched: rows.filter((r) => r.personId !== null).length
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			let consents = 0;
			for (const row of rows) {
				const personId =
					row.personId ??
					(await insertPerson(trx, {
						familyName: row.familyName,
						givenName: row.givenName,
						displayName: null,
						phone: row.phone,
						email: null,
						birthYear: row.birthYear,
						communityId: session.communityId
					}));
				const booked = await reserveIn(trx, {
					occurrenceId: session.id,
					personId,
					actor: { accountId: actor.accountId, personId: null },
					group: true
				});
				if (!booked.ok) throw new RowRefused(row.line, booked.reason);
				if (row.under14) {
					await trx
						.insertInto('training_consent')
						.values({ reservation_id: booked.reservationId, import_id: record.id, confirmed_by: actor.accountId, confirmed_at: at })
						.execute();
					consents++;
				}
			}
			await audit(trx, {
				actorAccountId: actor.accountId,
				action: 'training_roster.import',
				subjectType: 'occurrence',
				subjectId: session.id,
				communityId: session.communityId,
				details: { rows: rows.length, consents, encoding }
			});
			return {
				ok: true,
				importId: record.id,
				imported: rows.length,
				created: rows.filter((r) => r.personId === null).length,
				matched: rows.filter((r) => r.personId !== null).length,
				consents
			};
		});
	} catch (error) {
		// Someone enrolled or cancelled meanwhile: nothing was written; say what the file now needs.
		if (error instanceof RowRefused) {
			if (error.refusal === 'full') return { ok: false, reason: 'too-many', rows: rows.length, placesLeft: await placesLeft(db, session) };
			const key = ROW_REFUSAL_KEYS[error.refusal];
			if (key) return { ok: false, reason: 'bad-rows', problems: [{ line: error.line, key }] };
			return { ok: false, reason: 'busy' };
		}
		if (isCapacityViolation(error)) return { ok: false, reason: 'too-many', rows: rows.length, placesLeft: await placesLeft(db, session) };
		if ((error as { code?: string })?.code === '23505' || (error as { code?: string })?.code === '23P01')
			return { ok: false, reason: 'busy' };
		throw error;
	}
}
