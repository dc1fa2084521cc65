/** The CSV exports of the participation pages: every table they show, in the reader's language. */
import type { Kysely } from 'kysely';
import { translator, type Locale } from '$lib/i18n';
import type { Database } from '../db/schema';
import { coverageNow, coverageTrend, expiringCertificates } from './coverage';
import { csvFileName, toCsv, type Cell } from './csv';
import { dashboard, totals } from './dashboard';
import type { Filters } from './filters';

export const EXPORT_TABLES = ['dashboard', 'totals', 'coverage', 'communities', 'expiring'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export function isExportTable(value: string): value is ExportTable {
	return (EXPORT_TABLES as readonly string[]).includes(value);
}

const FIGURE_KEYS = [
	'participation.col.made',
	'participation.col.attended',
	'participation.col.noShows',
	'participation.col.lateCancelled',
	'participation.col.participants',
	'participation.col.waitlist',
	'participation.col.places',
	'participation.col.placesAttended',
	'participation.col.fillRate'
] as const;

type FigureRow = Awaited<ReturnType<typeof dashboard>>[number];
const figureCells = (r: Omit<FigureRow, 'month'>): Cell[] => [
	r.made,
	r.attended,
	r.noShows,
	r.lateCancelled,
	r.participants,
	r.waitlistDemand,
	r.places,
	r.placesAttended,
	r.fillRate === null ? '' : `${r.fillRate}%`
];
const percent = (v: number | null): Cell => (v === null ? '' : `${v}%`);

export async function exportCsv(db: Kysely<Database>, table: ExportTable, f: Filters, locale: Locale) {
	const t = translator(locale);
	const programme = (p: string) => t(`programme.${p}` as 'programme.doctor');
	let header: string[];
	let rows: Cell[][];
	if (table === 'dashboard' || table === 'totals') {
		const monthly = await dashboard(db, f);
		if (table === 'dashboard') {
			header = [t('participation.col.month'), t('participation.col.programme'), ...FIGURE_KEYS.map((k) => t(k))];
			rows = monthly.map((r) => [r.month, programme(r.programme), ...figureCells(r)]);
		} else {
			header = [t('participation.col.programme'), ...FIGURE_KEYS.map((k) => t(k))];
			rows = totals(monthly).map((r) => [programme(r.programme), ...figureCells(r)]);
		}
	} else if (table === 'coverage') {
		header = [t('participation.col.month'), t('coverage.col.holders'), t('coverage.col.population'), t('coverage.col.rate')];
		rows = (await coverageTrend(db, f)).map((p) => [p.month, p.holders, p.population, percent(p.rate)]);
	} else if (table === 'communities') {
		header = [
			t('coverage.col.community'),
			t('coverage.col.holders'),
			t('coverage.col.population'),
			t('coverage.col.rate'),
			t('coverage.col.target')
		];
		rows = (await coverageNow(db, f)).map((c) => [
			locale === 'en' ? c.nameEn : c.nameZh,
			c.holders,
			c.population,
			percent(c.rate),
			percent(c.target)
		]);
	} else {
		const names = new Map(
			(await db.selectFrom('community').select(['id', 'name_zh', 'name_en']).execute()).map((c) => [
				c.id,
				locale === 'en' ? c.name_en : c.name_zh
			])
		);
		header = [
			t('coverage.col.name'),
			t('coverage.col.community'),
			t('coverage.col.number'),
			t('coverage.col.course'),
			t('coverage.col.validUntil')
		];
		rows = (await expiringCertificates(db, f)).map((c) => [
			`${c.familyName}${c.givenName}`,
			names.get(c.communityId) ?? '',
			c.number,
			locale === 'en' ? c.courseEn : c.courseZh,
			c.validUntil
		]);
	}
	return { body: toCsv(header, rows), fileName: csvFileName(table, f.from, f.to, f.communityCode), rows: rows.length };
}
