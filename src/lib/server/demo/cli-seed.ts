// `npm run seed`: fill the demo data set into DATABASE_URL or the embedded database (migrating first).
import { config } from '../config';
import { startDatabase, stopDatabase } from '../db';
import { migrateToLatest } from '../db/migrate';
import { seedDemoData } from './seed';

export async function main(): Promise<number> {
	const handle = await startDatabase(config());
	try {
		await migrateToLatest(handle.db);
		await seedDemoData(handle.db);
		console.log('Demo data is in place.');
		return 0;
	} finally {
		await stopDatabase();
	}
}
