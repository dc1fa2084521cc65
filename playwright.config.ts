/**
 * Browser journeys against the production build, on the machine's Chromium (no browser download
 * works here). `npm test` picks a free port and a temporary data directory and passes them in;
 * run alone, this file picks its own. Two projects: with JavaScript, and without it (every form
 * must work as a plain HTML form).
 */
import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Set once in the runner; the workers it starts inherit the same values.
process.env.E2E_PORT ??= String(20_000 + (process.pid % 20_000));
if (!process.env.E2E_DATA_DIR) {
	// Run alone (npx playwright test): the data directory made here goes when the runner ends.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-e2e-'));
	process.env.E2E_DATA_DIR = dir;
	process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }));
}
process.env.E2E_SERVER_LOG ??= path.join(process.env.E2E_DATA_DIR, 'server.log');
// What the server "sends" (SMS, e-mail) lands here as files: journeys read reset links from them.
process.env.E2E_MESSAGE_DIR ??= path.join(process.env.E2E_DATA_DIR, 'messages');

const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-dev-shm-usage'
];

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 2,
	retries: 0,
	timeout: 60_000,
	forbidOnly: !!process.env.CI,
	reporter: [['list'], ['json', { outputFile: process.env.E2E_JSON ?? 'test-results/e2e.json' }]],
	use: {
		baseURL,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		trace: 'retain-on-failure',
		launchOptions: { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_FLAGS }
	},
	projects: [
		{ name: 'js', use: { javaScriptEnabled: true } },
		{ name: 'no-js', use: { javaScriptEnabled: false } }
	],
	webServer: {
		// The log goes to a file that the suite checks for personal data afterwards.
		command: `node build/index.js >> "${process.env.E2E_SERVER_LOG}" 2>&1`,
		url: `${baseURL}/healthz`,
		reuseExistingServer: false,
		timeout: 120_000,
		env: {
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: process.env.E2E_PORT,
			ORIGIN: baseURL,
			DATA_DIR: process.env.E2E_DATA_DIR,
			DEMO: '1',
			MESSAGE_DIR: process.env.E2E_MESSAGE_DIR,
			// PostgreSQL when npm test was given one (journeys may then read the outbox), else embedded.
			DATABASE_URL: process.env.E2E_DATABASE_URL ?? '',
			WORKER_INTERVAL_SECONDS: '2',
			// Every journey registers from 127.0.0.1: the per-address limit is for the real world.
			REGISTRATIONS_PER_HOUR: '1000'
		}
	}
});
