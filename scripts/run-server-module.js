// Runs a server-side TypeScript module's `main(args)` through Vite, so that command-line tools
// (migrate, seed, bench) load the very modules the server uses, with the same aliases and globs.
import path from 'node:path';
import { createServer } from 'vite';

const [file, ...args] = process.argv.slice(2);
if (!file) {
	console.error('usage: node scripts/run-server-module.js <module.ts> [args…]');
	process.exit(2);
}
const vite = await createServer({ server: { middlewareMode: true, hmr: false, watch: null }, appType: 'custom', logLevel: 'warn' });
let code = 0;
try {
	const mod = await vite.ssrLoadModule(path.resolve(file));
	code = (await mod.main(args)) ?? 0;
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	code = 1;
} finally {
	await vite.close();
}
process.exit(code);
