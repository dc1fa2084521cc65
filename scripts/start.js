// `npm start`: build if needed, then serve. The server migrates and, in demo mode, fills demo data
// itself on start (src/lib/server/startup.ts), so this is all a newcomer needs.
import { buildIfNeeded, root } from './build-if-needed.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

try {
	buildIfNeeded();
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
process.env.NODE_ENV ??= 'production';
if (!process.env.DATABASE_URL)
	console.log(`Embedded database in ${process.env.DATA_DIR ?? './data'} (set DATABASE_URL for a PostgreSQL server).`);
console.log(`Serving on http://localhost:${process.env.PORT ?? 3000}`);
await import(pathToFileURL(path.join(root, 'build', 'index.js')).href);
