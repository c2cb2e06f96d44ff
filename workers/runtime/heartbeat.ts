import type { Redis } from 'ioredis';

// Each worker process writes its id with the time into a sorted set; /healthz counts
// entries newer than the staleness limit. A crashed worker simply stops appearing.
const KEY = 'edu:workers:heartbeat';
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_STALE_MS = 20_000;

export async function beat(redis: Redis, workerId: string, now = Date.now()): Promise<void> {
  await redis.zadd(KEY, now, workerId);
  await redis.zremrangebyscore(KEY, 0, now - 10 * HEARTBEAT_STALE_MS);
}

export async function forget(redis: Redis, workerId: string): Promise<void> {
  await redis.zrem(KEY, workerId);
}

export async function liveWorkers(redis: Redis, now = Date.now()): Promise<{ count: number; lastSeenMsAgo: number | null }> {
  const newest = await redis.zrange(KEY, 0, 0, 'REV', 'WITHSCORES');
  const count = await redis.zcount(KEY, now - HEARTBEAT_STALE_MS, '+inf');
  const lastSeen = newest[1] ? Number(newest[1]) : null;
  return { count, lastSeenMsAgo: lastSeen === null ? null : Math.max(0, now - lastSeen) };
}
