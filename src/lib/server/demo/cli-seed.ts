// `npm run seed`: fill the demo data set into DATABASE_URL or the embedded database (migrating first).
// `npm run seed -- --scale large|tenth|tiny`: also the generated district-sized data set (PostgreSQL
// only, DATABASE_URL), e.g. into a database kept as a template: see the README.
import { config } from '../config';
import { startDatabase, stopDatabase } from '../db';
import { migrateToLatest } from '../db/migrate';
import { seedDemoData } from './seed';
import { SCALES, seedScale } from './scale';

export async function main(args: string[] = []): Promise<number> {
	const at = args.indexOf('--scale');
	const scaleName = at >= 0 ? args[at + 1] : undefined;
	const scale = scaleName ? SCALES[scaleName] : undefined;
	if (at >= 0 && !scale) {
		console.error(`--scale takes one of: ${Object.keys(SCALES).join(', ')}`);
		return 2;
	}
	const cfg = config();
	if (scale && !cfg.databaseUrl) {
		console.error('--scale needs PostgreSQL: set DATABASE_URL (the embedded database is one connection and far too slow for it).');
		return 2;
	}
	const handle = await startDatabase(cfg);
	try {
		await migrateToLatest(handle.longDb);
		await seedDemoData(handle.longDb);
		console.log('Demo data is in place.');
		if (scale) {
			const t0 = Date.now();
			console.log(`Generating ${scaleName}: ${scale.people} people, ${scale.records} reservations, ${scale.certificates} certificates …`);
			await seedScale(handle.longDb, scale, (line) => console.log(line));
			console.log(`Generated in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
		}
		return 0;
	} finally {
		await stopDatabase();
	}
}
