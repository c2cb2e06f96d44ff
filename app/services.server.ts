import type { Redis } from 'ioredis';
import { createDatabase, type Database } from '../db/client.js';
import { createLogger, type Logger } from '../workers/runtime/logger.js';
import { createRedis } from '../workers/runtime/redis.js';
import { getEnv } from './env.server.js';

export type WebServices = { db: Database; sql: ReturnType<typeof createDatabase>['sql']; redis: Redis; log: Logger };

// One set per process, kept on globalThis: the express host (run by tsx) and the Remix
// server build (bundled by Vite) each load this module, and must share the connections.
const g = globalThis as typeof globalThis & { __eduWebServices?: WebServices };

export function getServices(): WebServices {
  if (!g.__eduWebServices) {
    const env = getEnv();
    const { db, sql } = createDatabase(env.DATABASE_URL);
    const log = createLogger('web', env.LOG_LEVEL);
    const redis = createRedis(env.REDIS_URL, 'client');
    redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
    g.__eduWebServices = { db, sql, redis, log };
  }
  return g.__eduWebServices;
}

export async function closeServices(): Promise<void> {
  const services = g.__eduWebServices;
  if (!services) return;
  g.__eduWebServices = undefined;
  await Promise.allSettled([services.sql.end({ timeout: 5 }), services.redis.quit()]);
}
