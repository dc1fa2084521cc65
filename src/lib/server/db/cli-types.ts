// `npm run db:types`: migrate a scratch in-memory database and write schema.ts from it.
import fs from 'node:fs';
import path from 'node:path';
import { openInMemory } from './connect';
import { migrateToLatest } from './migrate';
import { generateSchemaSource } from './typegen';

export const SCHEMA_FILE = path.resolve('src/lib/server/db/schema.ts');

export async function main(): Promise<number> {
	const handle = await openInMemory();
	try {
		await migrateToLatest(handle.db);
		fs.writeFileSync(SCHEMA_FILE, await generateSchemaSource(handle.db));
		console.log(`Wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
		return 0;
	} finally {
		await handle.close();
	}
}
