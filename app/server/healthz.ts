import type { Request, Response } from 'express';
import { liveWorkers } from '../../workers/runtime/heartbeat.js';
import { getServices } from '../services.server.js';

type Check = { ok: boolean; error?: string };

async function timed(check: () => Promise<unknown>): Promise<Check> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000))]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'failed' };
  }
}

/** Liveness of the database, Redis and at least one worker; 503 when any is down. */
export async function healthz(_req: Request, res: Response) {
  const { sql, redis } = getServices();
  const [database, redisCheck] = await Promise.all([timed(() => sql`select 1`), timed(() => redis.ping())]);
  let worker: Check & { count?: number; lastSeenSecondsAgo?: number | null } = { ok: false, error: 'redis unavailable' };
  if (redisCheck.ok) {
    const live = await liveWorkers(redis).catch(() => null);
    worker = live
      ? { ok: live.count > 0, count: live.count, lastSeenSecondsAgo: live.lastSeenMsAgo === null ? null : Math.round(live.lastSeenMsAgo / 1000), ...(live.count > 0 ? {} : { error: 'no worker heartbeat' }) }
      : { ok: false, error: 'heartbeat read failed' };
  }
  const ok = database.ok && redisCheck.ok && worker.ok;
  res.status(ok ? 200 : 503).setHeader('Cache-Control', 'no-store').json({ status: ok ? 'ok' : 'degraded', database, redis: redisCheck, worker });
}
