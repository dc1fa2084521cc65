// Builds the portal when no build exists or its sources changed since the last build.
// A fingerprint of the inputs is kept in build/.fingerprint; `npm start` and `npm test` share it.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INPUT_DIRS = ['src', 'static', 'migrations'];
const INPUT_FILES = ['svelte.config.js', 'vite.config.ts', 'package-lock.json', 'tsconfig.json', 'scripts/vite-build.js'];
const STAMP = path.join(root, 'build', '.fingerprint');

/** @param {string} dir @returns {Generator<string>} */
function* walk(dir) {
	if (!fs.existsSync(dir)) return;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(full);
		else yield full;
	}
}

export function fingerprint() {
	const hash = createHash('sha256');
	// Builds before this line was added may be development builds (see build()): never current.
	hash.update('NODE_ENV=production');
	const files = [...INPUT_DIRS.flatMap((d) => [...walk(path.join(root, d))]), ...INPUT_FILES.map((f) => path.join(root, f))];
	for (const file of files) {
		if (!fs.existsSync(file)) continue;
		hash.update(path.relative(root, file));
		hash.update(fs.readFileSync(file));
	}
	return hash.digest('hex');
}

export function buildIsCurrent() {
	return fs.existsSync(path.join(root, 'build', 'index.js')) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === fingerprint();
}

const LOCK = path.join(root, 'node_modules', '.cache', 'healthy-dongmen-build.lock');

/** One build at a time: `npm start`, `npm test` and `npm run bench` may be started together. */
function withBuildLock(/** @type {() => boolean} */ fn) {
	fs.mkdirSync(path.dirname(LOCK), { recursive: true });
	const deadline = Date.now() + 5 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(LOCK);
			break;
		} catch {
			// A lock older than the longest build is left over from a killed build.
			const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if (age > 5 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
			else if (Date.now() > deadline) throw new Error(`Another build holds ${LOCK}`);
			else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(LOCK, { recursive: true, force: true });
	}
}

export function buildIfNeeded() {
	if (buildIsCurrent()) return false;
	return withBuildLock(() => (buildIsCurrent() ? false : build()));
}

function build() {
	const t0 = Date.now();
	const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
	if (!fs.existsSync(vite)) {
		throw new Error(
			fs.existsSync(path.join(root, 'build', 'index.js'))
				? 'The build in build/ is older than the sources, and Vite (a development dependency) is not installed. ' +
						'Build where the development dependencies are (`npm ci && npm run build`), then install with `npm ci --omit=dev`.'
				: 'There is no build yet, and Vite (a development dependency) is not installed. ' +
						'Run `npm ci && npm run build` first; `npm ci --omit=dev` is for a host that runs a finished build.'
		);
	}
	console.log('Building the portal (first start, or the sources changed; about a minute on two cores) …');
	// Taken before the build: a file changed while it runs must make the next start build again.
	const inputs = fingerprint();
	// Always a production build: a caller that runs inside Vite (the bench, through
	// run-server-module.js) has NODE_ENV=development, which would make Svelte compile its dev-mode
	// checks into every component (measured: about a fifth of the server's time per page).
	const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'vite-build.js')], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (result.status !== 0) throw new Error(`The build failed (exit ${result.status ?? result.signal}).`);
	fs.writeFileSync(STAMP, inputs);
	console.log(`Built in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
	return true;
}

/** `npm run build`: a build that later starts recognise as current (a plain `vite build` writes no fingerprint). */
function forceBuild() {
	return withBuildLock(() => build());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	try {
		if (process.argv.includes('--force')) forceBuild();
		else if (!buildIfNeeded()) console.log('The build is current.');
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	}
}
