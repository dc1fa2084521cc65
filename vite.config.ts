import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	// `npm run dev` on PORT like `npm start`: demo-mode links point at http://localhost:PORT.
	server: { port: Number(process.env.PORT) || 3000, strictPort: true },
	// PGlite ships WebAssembly and data files that the dependency optimiser must not rewrite.
	optimizeDeps: { exclude: ['@electric-sql/pglite'] },
	ssr: { external: ['@electric-sql/pglite', '@node-rs/argon2', 'pg'] },
	test: {
		include: ['tests/**/*.test.ts'],
		exclude: ['tests/e2e/**', 'node_modules/**'],
		globalSetup: ['tests/setup/global-setup.ts'],
		pool: 'forks',
		testTimeout: 60_000,
		hookTimeout: 120_000,
		env: { TZ: 'UTC' }
	}
});
