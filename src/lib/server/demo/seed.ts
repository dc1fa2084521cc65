/**
 * Demo data for demo mode (PRODUCT §11): filled once on the first start, never outside demo mode.
 * Each later feature adds its part here; every part is idempotent.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export const DEMO_COMMUNITIES = [
	{ code: 'dongmen', name_zh: '东门社区', name_en: 'Dongmen Community', population: 12_800 },
	{ code: 'lixin', name_zh: '立新社区', name_en: 'Lixin Community', population: 9_600 },
	{ code: 'hubei', name_zh: '湖贝社区', name_en: 'Hubei Community', population: 11_200 }
] as const;

export async function seedDemo(db: Kysely<Database>): Promise<void> {
	await db.transaction().execute(async (trx) => {
		for (const c of DEMO_COMMUNITIES) {
			const row = await trx
				.insertInto('community')
				.values({ code: c.code, name_zh: c.name_zh, name_en: c.name_en })
				.onConflict((oc) => oc.column('code').doNothing())
				.returning('id')
				.executeTakeFirst();
			if (!row) continue; // Already seeded on an earlier start.
			await trx
				.insertInto('community_population')
				.values({ community_id: row.id, population: c.population, effective_from: '2026-01-01' })
				.execute();
		}
	});
}
