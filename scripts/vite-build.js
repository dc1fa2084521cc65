// The production build as `npm start`, `npm test` and `npm run build` run it (through
// build-if-needed.js): `vite build` with a line of progress every 10 seconds, so that a newcomer's
// first start does not look stuck, and without the advice to run `npm run preview` that SvelteKit
// prints at the end (`npm start` serves the build itself).
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const NOISE = [/npm run preview/, /^\s*Run .* to preview/, /^> Using @sveltejs\/adapter-node/, /^\s*✔ done\s*$/];

const t0 = Date.now();
const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
	cwd: root,
	stdio: ['ignore', 'pipe', 'inherit'],
	env: { ...process.env, NODE_ENV: 'production' }
});
// eslint-disable-next-line no-control-regex -- colour codes around the advice
const plain = (/** @type {string} */ line) => line.replace(/\u001b\[[0-9;]*m/g, '');
readline.createInterface({ input: child.stdout }).on('line', (line) => {
	if (plain(line).trim() !== '' && !NOISE.some((re) => re.test(plain(line)))) console.log(line);
});
const progress = setInterval(() => console.log(`  … still building (${Math.round((Date.now() - t0) / 1000)} s)`), 10_000);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
	clearInterval(progress);
	process.exit(code ?? (signal ? 1 : 0));
});
