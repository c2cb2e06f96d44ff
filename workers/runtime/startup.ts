import type { Redis } from 'ioredis';
import type postgres from 'postgres';
import { redactUrl } from './logger.js';

export class ServiceUnreachableError extends Error {
  constructor(service: string, url: string, variable: string, cause: unknown) {
    const reason = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
    super(
      `cannot reach ${service} at ${redactUrl(url)} (${variable}): ${reason}. ` +
        `Run \`npm start\` to start the project's own ${service}, or fix ${variable}.`,
    );
    this.name = 'ServiceUnreachableError';
  }
}

/** Checks PostgreSQL answers, or throws a ServiceUnreachableError naming DATABASE_URL. */
export async function pingDatabase(sql: postgres.Sql, databaseUrl: string): Promise<void> {
  try {
    await sql`select 1`;
  } catch (error) {
    throw new ServiceUnreachableError('PostgreSQL', databaseUrl, 'DATABASE_URL', error);
  }
}

/** Connects to PostgreSQL and Redis, or throws one ServiceUnreachableError naming the first that failed. */
export async function connectServices(opts: { sql: postgres.Sql; databaseUrl: string; redis: Redis; redisUrl: string }) {
  await pingDatabase(opts.sql, opts.databaseUrl);
  // ioredis reports the socket's error (ECONNREFUSED) as an event and rejects connect()
  // with a vaguer one; keep the first so the message names the real cause.
  let socketError: Error | undefined;
  const onError = (error: Error) => (socketError ??= error);
  opts.redis.on('error', onError);
  try {
    if (opts.redis.status === 'wait') await opts.redis.connect();
    await opts.redis.ping();
  } catch (error) {
    opts.redis.disconnect();
    throw new ServiceUnreachableError('Redis', opts.redisUrl, 'REDIS_URL', socketError ?? error);
  } finally {
    opts.redis.off('error', onError);
  }
}

/** Prints the one clear line and exits; used by every process entry point. */
export function exitOnStartupError(error: unknown): never {
  console.error(error instanceof ServiceUnreachableError ? `startup error: ${error.message}` : error);
  process.exit(error instanceof ServiceUnreachableError ? 69 : 1); // EX_UNAVAILABLE
}
