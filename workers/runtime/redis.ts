import { Redis, type RedisOptions } from 'ioredis';

/**
 * `worker` connections block (BullMQ workers) and must retry forever;
 * `client` connections fail fast so a web request never hangs on a dead Redis.
 */
export function createRedis(url: string, kind: 'worker' | 'client', extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    kind === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 };
  return new Redis(url, { ...options, lazyConnect: true, ...extra });
}
