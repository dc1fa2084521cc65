/**
 * A real portal process for the HTTP tests of this folder, on its own database: a clone of the
 * run's template on PostgreSQL, or an embedded data directory on PGlite. The database is seeded
 * with factories before the server starts. While the server runs, only PostgreSQL can be read
 * from the test (PGlite has one owner); `inspect()` reads either after stopping the server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { openEmbedded, openPostgres, type DatabaseHandle } from '../../src/lib/server/db/connect';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import type { Database } from '../../src/lib/server/db/schema';
import { createPostgresDatabase, onPostgres } from '../helpers/db';
import { startServer, type ServerProcess } from '../helpers/servers';

type Place = { databaseUrl: string } | { dataDir: string };

export class Portal {
	private running: ServerProcess | null = null;
	private readonly earlierOutput: string[] = [];

	private constructor(
		private readonly place: Place,
		/** PostgreSQL only: a handle of the test's own, usable while the server runs. */
		private readonly live: DatabaseHandle | null
	) {}

	static async create<T>(seed: (db: Kysely<Database>) => Promise<T>): Promise<{ portal: Portal; seeded: T }> {
		if (onPostgres()) {
			const { url } = await createPostgresDatabase();
			const live = openPostgres(url, 2);
			return { portal: new Portal({ databaseUrl: url }, live), seeded: await seed(live.db) };
		}
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-auth-'));
		const handle = await openEmbedded(dataDir);
		try {
			await migrateToLatest(handle.db);
			return { portal: new Portal({ dataDir }, null), seeded: await seed(handle.db) };
		} finally {
			await handle.close();
		}
	}

	get server(): ServerProcess {
		if (!this.running) throw new Error('The portal is not running');
		return this.running;
	}

	get url(): string {
		return this.server.url;
	}

	async start(env: Record<string, string>): Promise<ServerProcess> {
		if (this.running) throw new Error('The portal is already running');
		this.running = await startServer({ ...this.place, env });
		return this.running;
	}

	async stop(): Promise<void> {
		if (!this.running) return;
		const server = this.running;
		this.running = null;
		await server.stop();
		this.earlierOutput.push(server.output());
	}

	/** Everything every server process of this portal printed so far. */
	output(): string {
		return [...this.earlierOutput, this.running?.output() ?? ''].join('\n');
	}

	/** The database while the server runs: PostgreSQL only (null on PGlite). */
	get liveDb(): Kysely<Database> | null {
		return this.live?.db ?? null;
	}

	/** Stops the server and reads its database (on PGlite, by opening the data directory). */
	async inspect<T>(read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
		await this.stop();
		if (this.live) return read(this.live.db);
		const handle = await openEmbedded((this.place as { dataDir: string }).dataDir);
		try {
			return await read(handle.db);
		} finally {
			await handle.close();
		}
	}

	async close(): Promise<void> {
		await this.stop();
		await this.live?.close();
		if ('dataDir' in this.place) fs.rmSync(this.place.dataDir, { recursive: true, force: true });
	}
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

/** The message shown next to a form field (the privacy checkbox has its own id), or null. */
export function fieldMessage(html: string, field: string): string | null {
	const id = field === 'acceptPrivacy' ? 'accept-error' : `field-${field}-error`;
	const match = new RegExp(`<p class="error[^"]*" id="${id}">([^<]*)</p>`).exec(html);
	return match ? decode(match[1]!) : null;
}

/** Every field that shows a message. */
export function fieldsWithMessages(html: string): string[] {
	return [...html.matchAll(/id="(?:field-(\w+)-error|(accept)-error)"/g)].map((m) => m[1] ?? 'acceptPrivacy').sort();
}

/** The form's summary message (role="alert"), or null. */
export function alertMessage(html: string): string | null {
	const match = /<p class="notice error" role="alert"[^>]*>([^<]*)<\/p>/.exec(html);
	return match ? decode(match[1]!) : null;
}

export function heading(html: string): string | null {
	const match = /<h1[^>]*>([^<]*)<\/h1>/.exec(html);
	return match ? decode(match[1]!) : null;
}

export const HAN_OR_CJK_PUNCTUATION = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
