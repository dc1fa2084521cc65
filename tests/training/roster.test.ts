/** Group rosters from CSV files: the committed fixtures, checked whole before anything is written. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../src/lib/i18n';
import { decodeRoster, parseCsv } from '../../src/lib/server/training/roster-csv';
import { importRoster, type RosterOutcome } from '../../src/lib/server/training/roster-import';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { createPerson, rowCounts } from '../helpers/factories';
import { everywhere, newSession } from './helpers';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/rosters');
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(() => t?.close());

const TABLES = ['person', 'reservation', 'training_consent', 'training_roster_import', 'notification'] as const;

function problemsOf(outcome: RosterOutcome) {
	if (outcome.ok || outcome.reason !== 'bad-rows') throw new Error(`expected bad rows, got ${JSON.stringify(outcome)}`);
	return outcome.problems;
}

describe('reading roster files', () => {
	it('reads UTF-8 with a BOM, CRLF and quoted fields with commas, quotes and line breaks', () => {
		const text = '\ufeff姓,名\r\n"欧阳","娜,娜"\r\n"张","三""四"\r\n"李","多\n行"\r\n\r\n王,五';
		const { text: decoded, encoding } = decodeRoster(new TextEncoder().encode(text));
		expect(encoding).toBe('utf-8');
		expect(parseCsv(decoded)).toEqual([
			{ line: 1, cells: ['姓', '名'] },
			{ line: 2, cells: ['欧阳', '娜,娜'] },
			{ line: 3, cells: ['张', '三"四'] },
			{ line: 4, cells: ['李', '多\n行'] },
			{ line: 7, cells: ['王', '五'] }
		]);
		expect(parseCsv('姓,名\n"never closed')).toBeNull();
	});

	it('reads a GB18030 file (Excel’s Chinese CSV) correctly, characters outside GB2312 included', async () => {
		const bytes = fixture('gb18030.csv');
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
		const { text, encoding } = decodeRoster(bytes);
		expect(encoding).toBe('gb18030');
		expect(text).toContain('诸葛,亮');
		expect(text).toContain('龚,喆');

		const { occurrenceId } = await newSession(t.db);
		const outcome = await importRoster(t.db, everywhere, { occurrenceId, bytes, consentConfirmed: false });
		expect(outcome).toMatchObject({ ok: true, imported: 4, created: 4 });
		const names = await t.db
			.selectFrom('reservation')
			.innerJoin('person', 'person.id', 'reservation.person_id')
			.select(['person.family_name', 'person.given_name', 'person.phone'])
			.where('reservation.occurrence_id', '=', occurrenceId)
			.orderBy('person.id')
			.execute();
		expect(names).toEqual([
			{ family_name: '欧阳', given_name: '修', phone: '13933330001' },
			{ family_name: '诸葛', given_name: '亮', phone: '13933330002' },
			{ family_name: '司马', given_name: '懿', phone: null },
			{ family_name: '龚', given_name: '喆', phone: '13933330004' }
		]);
		const record = await t.db
			.selectFrom('training_roster_import')
			.selectAll()
			.where('occurrence_id', '=', occurrenceId)
			.executeTakeFirstOrThrow();
		expect(record).toMatchObject({ encoding: 'gb18030', row_count: 4, people_created: 4, people_matched: 0 });
	});
});

describe('a roster with bad rows', () => {
	it('imports nothing and names every bad line with its reason, in the staff member’s language', async () => {
		// Line 6 carries the phone of someone already known under another name (a parent's phone).
		await createPerson(t.db, { familyName: '孙', givenName: '丽', phone: '13911119999' });
		const { occurrenceId } = await newSession(t.db);
		const before = await rowCounts(t.db, [...TABLES]);
		const outcome = await importRoster(t.db, everywhere, { occurrenceId, bytes: fixture('bad-rows.csv'), consentConfirmed: true });
		const problems = problemsOf(outcome);
		expect(problems.map((p) => [p.line, p.key])).toEqual([
			[3, 'training.roster.row.badPhone'],
			[4, 'training.roster.row.duplicate'],
			[5, 'training.roster.row.missingName'],
			[6, 'training.roster.row.conflict']
		]);
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
		const line = (p: (typeof problems)[number], locale: 'zh-CN' | 'en') =>
			translate(locale, 'training.roster.line', { line: p.line, reason: translate(locale, p.key, p.params) });
		expect(line(problems[1]!, 'zh-CN')).toBe('第 4 行：与第 2 行重复');
		expect(line(problems[1]!, 'en')).toBe('Line 4: the same as line 2');
		expect(line(problems[0]!, 'en')).toContain('Line 3: phone number not valid (1391111000X)');
		expect(line(problems[3]!, 'zh-CN')).toContain('第 6 行：手机号 13911119999 已登记为另一个姓名的人');
	});

	it('refuses a file without a name header, an empty file and a broken quote, writing nothing', async () => {
		const { occurrenceId } = await newSession(t.db);
		const encode = (s: string) => new TextEncoder().encode(s);
		for (const [bytes, key] of [
			[encode('姓名,手机号\n王小明,13911110001\n'), 'training.roster.file.header'],
			[new Uint8Array(), 'training.roster.file.empty'],
			[encode('姓,名\n"王,小明\n'), 'training.roster.file.quotes'],
			[encode('姓,名\n'), 'training.roster.file.noRows']
		] as const) {
			const outcome = await importRoster(t.db, everywhere, { occurrenceId, bytes, consentConfirmed: false });
			expect(outcome).toMatchObject({ ok: false, reason: 'unreadable', problem: { key } });
		}
	});

	it('matches a person only when phone and name agree, and reports someone already enrolled', async () => {
		const known = await createPerson(t.db, { familyName: '钱', givenName: '多多', phone: '13944440001' });
		const { occurrenceId } = await newSession(t.db);
		const file = new TextEncoder().encode('姓,名,手机号\n钱,多多,13944440001\n钱,少少,\n');
		const first = await importRoster(t.db, everywhere, { occurrenceId, bytes: file, consentConfirmed: false });
		expect(first).toMatchObject({ ok: true, imported: 2, created: 1, matched: 1 });
		const mine = await t.db.selectFrom('reservation').select('status').where('person_id', '=', known.id).executeTakeFirstOrThrow();
		expect(mine.status).toBe('reserved');
		const again = await importRoster(t.db, everywhere, { occurrenceId, bytes: file, consentConfirmed: false });
		expect(problemsOf(again).map((p) => [p.line, p.key])).toEqual([[2, 'training.roster.row.already']]);
	});
});

describe('pupils under 14', () => {
	it('are refused until the staff member confirms guardian consent, which is then stored per enrolment', async () => {
		const { occurrenceId } = await newSession(t.db);
		const bytes = fixture('under-14.csv');
		const before = await rowCounts(t.db, [...TABLES]);
		const refused = await importRoster(t.db, everywhere, { occurrenceId, bytes, consentConfirmed: false });
		expect(refused).toEqual({ ok: false, reason: 'consent', lines: [3, 4, 5] });
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);

		const staff = { accountId: null, roles: [{ role: 'staff' as const, communityId: null }] };
		const done = await importRoster(t.db, staff, { occurrenceId, bytes, consentConfirmed: true });
		expect(done).toMatchObject({ ok: true, imported: 4, consents: 3 });
		const consents = await t.db
			.selectFrom('training_consent')
			.innerJoin('reservation', 'reservation.id', 'training_consent.reservation_id')
			.innerJoin('person', 'person.id', 'reservation.person_id')
			.select(['person.given_name', 'training_consent.import_id', 'training_consent.confirmed_at'])
			.where('reservation.occurrence_id', '=', occurrenceId)
			.orderBy('person.id')
			.execute();
		expect(consents.map((c) => c.given_name)).toEqual(['一一', '二二', '三三']);
		expect(consents.every((c) => c.import_id !== null && c.confirmed_at instanceof Date)).toBe(true);
		// Two pupils share a parent's phone: two people, never merged.
		const shared = await t.db.selectFrom('person').select('id').where('phone', '=', '13922220002').execute();
		expect(shared).toHaveLength(2);
	});
});

describe('a clean roster of 500', () => {
	it('imports in one transaction: all 500 enrolled, or — when one place is missing — nobody', async () => {
		const lines = ['姓,名,手机号,出生年份'];
		for (let i = 0; i < 500; i++) lines.push(`学,生${i},139${String(55_000_000 + i).padStart(8, '0')},1990`);
		const bytes = new TextEncoder().encode(lines.join('\r\n'));

		const small = await newSession(t.db, { capacity: 499 });
		const before = await rowCounts(t.db, [...TABLES]);
		const tooMany = await importRoster(t.db, everywhere, { occurrenceId: small.occurrenceId, bytes, consentConfirmed: false });
		expect(tooMany).toEqual({ ok: false, reason: 'too-many', rows: 500, placesLeft: 499 });
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
		expect(translate('en', 'training.roster.tooMany', { rows: 500, left: 499 })).toContain('dedicated session');

		const { occurrenceId } = await newSession(t.db, { capacity: 500 });
		const outcome = await importRoster(t.db, everywhere, { occurrenceId, bytes, consentConfirmed: false });
		expect(outcome).toMatchObject({ ok: true, imported: 500, created: 500 });
		const held = await t.db
			.selectFrom('reservation')
			.select(({ fn }) => fn.countAll<number>().as('n'))
			.where('occurrence_id', '=', occurrenceId)
			.where('status', '=', 'reserved')
			.executeTakeFirstOrThrow();
		expect(Number(held.n)).toBe(500);
		// One import record for the whole file (the all-or-nothing itself is the next test's).
		const records = await t.db.selectFrom('training_roster_import').select('row_count').where('occurrence_id', '=', occurrenceId).execute();
		expect(records).toEqual([{ row_count: 500 }]);
	}, 120_000);

	it('rolls back every row when the database refuses one half-way through', async () => {
		const { occurrenceId } = await newSession(t.db, { capacity: 50 });
		// A trigger that fails on the 30th reservation stands in for anything going wrong mid-import.
		const lines = ['姓,名'];
		for (let i = 0; i < 40; i++) lines.push(`回,滚${i}`);
		const before = await rowCounts(t.db, [...TABLES]);
		const { sql } = await import('kysely');
		await sql`CREATE FUNCTION fail_30th() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
			IF (SELECT count(*) FROM reservation WHERE occurrence_id = NEW.occurrence_id) >= 29 THEN RAISE EXCEPTION 'boom'; END IF;
			RETURN NEW; END $$`.execute(t.db);
		await sql`CREATE TRIGGER fail_30th BEFORE INSERT ON reservation FOR EACH ROW EXECUTE FUNCTION fail_30th()`.execute(t.db);
		try {
			await expect(
				importRoster(t.db, everywhere, { occurrenceId, bytes: new TextEncoder().encode(lines.join('\n')), consentConfirmed: false })
			).rejects.toThrow(/boom/);
		} finally {
			await sql`DROP TRIGGER fail_30th ON reservation`.execute(t.db);
			await sql`DROP FUNCTION fail_30th()`.execute(t.db);
		}
		expect(await rowCounts(t.db, [...TABLES])).toEqual(before);
	});
});
