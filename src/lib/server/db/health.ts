import { sql, type Kysely } from 'kysely';

/** True when the database answers a trivial query within `timeoutMs`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function databaseAnswers(db: Kysely<any>, timeoutMs = 2_000): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<false>((resolve) => {
		timer = setTimeout(() => resolve(false), timeoutMs);
	});
	try {
		return await Promise.race([sql`SELECT 1`.execute(db).then(() => true), timeout]);
	} catch {
		return false;
	} finally {
		clearTimeout(timer);
	}
}
