import type postgres from 'postgres';
import { exitOnStartupError, ServiceUnreachableError } from '../workers/runtime/startup.js';

/** For one-shot scripts (migrate, seed) that need only the database. */
export async function connectDatabaseOrExit(sql: postgres.Sql, url: string): Promise<void> {
  try {
    await sql`select 1`;
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    exitOnStartupError(new ServiceUnreachableError('PostgreSQL', url, 'DATABASE_URL', error));
  }
}
