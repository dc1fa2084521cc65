// `npm start`: build if needed, then serve build/index.js (adapter-node). The server migrates and,
// in demo mode, fills demo data itself on start (src/lib/server/startup.ts), so this is all a
// newcomer needs. "Serving on …" is printed only once the server listens.
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
console.log('Starting: migrations, and in demo mode the demo data on a first start …');

/** @type {{ server: { server: import('node:http').Server } }} */
const entry = await import(pathToFileURL(path.join(root, 'build', 'index.js')).href);
const http = entry.server.server;
if (!http.listening) await new Promise((resolve) => http.once('listening', resolve));
const address = http.address();
if (address && typeof address === 'object') {
	const port = address.port;
	const local = ['127.0.0.1', '::1', '0.0.0.0', '::'].includes(address.address);
	console.log(`Serving on ${local ? `http://localhost:${port}` : `http://${address.address}:${port}`}`);
	// The same rule as src/lib/server/config.ts: demo mode unless DEMO says otherwise, by default on the embedded database.
	const demo = /^(1|true|yes|on)$/i.test(process.env.DEMO ?? '') || (!process.env.DEMO?.trim() && !process.env.DATABASE_URL?.trim());
	if (demo) console.log('Demo mode: log in with 13800000001 (a resident; the README lists the other roles), password Dongmen-demo-2026.');
}
