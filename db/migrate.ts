import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { createDatabase } from './client.js';
import { parseEnvOrExit, serviceEnvSchema } from '../workers/runtime/env.js';
import { connectDatabaseOrExit } from './connect.js';
import { ownerDatabaseUrl } from './owner-url.js';

const MIGRATION_LOCK = 724_001; // pg_advisory_lock key: two starts at once migrate one after the other

const env = parseEnvOrExit(serviceEnvSchema.pick({ DATABASE_URL: true, NODE_ENV: true, DATABASE_OWNER_USER: true, DATABASE_OWNER_PASSWORD: true }));
const url = ownerDatabaseUrl(env.DATABASE_URL, { user: env.DATABASE_OWNER_USER, password: env.DATABASE_OWNER_PASSWORD });
const { db, sql } = createDatabase(url, { max: 1 });
await connectDatabaseOrExit(sql, url);
try {
  await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
  await migrate(db, { migrationsFolder: fileURLToPath(new URL('./migrations', import.meta.url)) });
  await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  console.error('[edu] database migrated');
} finally {
  await sql.end();
}
