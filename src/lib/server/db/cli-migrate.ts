// `npm run migrate [latest|down|status]` against DATABASE_URL, or the embedded database in DATA_DIR.
import { config } from '../config';
import { startDatabase, stopDatabase } from '.';
import { check, migrator } from './migrate';

export async function main(args: string[]): Promise<number> {
	const command = args[0] ?? 'latest';
	const handle = await startDatabase(config());
	try {
		const m = migrator(handle.longDb);
		if (command === 'status') {
			for (const info of await m.getMigrations()) {
				console.log(`${info.executedAt ? 'applied' : 'pending'}  ${info.name}`);
			}
			return 0;
		}
		if (command !== 'latest' && command !== 'down') {
			console.error('usage: npm run migrate -- [latest|down|status]');
			return 2;
		}
		const result = check(command === 'down' ? await m.migrateDown() : await m.migrateToLatest());
		for (const r of result.results ?? []) console.log(`${r.direction === 'Up' ? 'up  ' : 'down'}  ${r.migrationName}`);
		if (!result.results?.length) console.log('Nothing to do.');
		return 0;
	} finally {
		await stopDatabase();
	}
}
