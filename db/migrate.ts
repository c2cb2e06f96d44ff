import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { createDatabase } from './client.js';
import { parseEnvOrExit, serviceEnvSchema } from '../workers/runtime/env.js';
import { connectDatabaseOrExit } from './connect.js';

const MIGRATION_LOCK = 724_001; // pg_advisory_lock key: two starts at once migrate one after the other

const env = parseEnvOrExit(serviceEnvSchema.pick({ DATABASE_URL: true, NODE_ENV: true }));
const { db, sql } = createDatabase(env.DATABASE_URL, { max: 1 });
await connectDatabaseOrExit(sql, env.DATABASE_URL);
try {
  await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
  await migrate(db, { migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)) });
  await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  console.error('[edu] database migrated');
} finally {
  await sql.end();
}
