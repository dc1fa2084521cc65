import pg from 'pg';

/** The same server URL with another database name. */
export function databaseUrl(serverUrl: string, database: string): string {
	const url = new URL(serverUrl);
	url.pathname = `/${database}`;
	return url.toString();
}

export async function adminQuery(serverUrl: string, statement: string): Promise<void> {
	const client = new pg.Client({ connectionString: serverUrl });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

/** Drops every database this run created (`hd_*_<runId>*`), even with connections still open. */
export async function dropRunDatabases(serverUrl: string, runId: string): Promise<void> {
	const client = new pg.Client({ connectionString: serverUrl });
	await client.connect();
	try {
		const { rows } = await client.query<{ datname: string }>(
			`SELECT datname FROM pg_database WHERE datname LIKE 'hd\\_%' AND datname LIKE $1`,
			[`%${runId}%`]
		);
		for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
	} finally {
		await client.end();
	}
}
