import type postgres from 'postgres';
import { exitOnStartupError, pingDatabase } from '../workers/runtime/startup.js';

/** For one-shot scripts (migrate, seed) that need only the database. */
export async function connectDatabaseOrExit(sql: postgres.Sql, url: string): Promise<void> {
  try {
    await pingDatabase(sql, url);
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    exitOnStartupError(error);
  }
}
