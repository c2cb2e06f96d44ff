import type { Redis } from 'ioredis';

// The teacher's stream between the web process that receives a chunk and the one packager
// job that consumes it (docs/decisions/021). A chunk is stored once (HSETNX: a retried
// POST changes nothing) and stays until the packager has fed it to ffmpeg and appended
// it to the recording, so a web or worker process restarting loses none. A stream entry
// per new chunk wakes the packager (XREAD BLOCK) instead of it polling.

const keys = (broadcastId: string) => ({
  chunks: `edu:live:${broadcastId}:chunks`,
  arrivals: `edu:live:${broadcastId}:arrivals`,
});

/** Chunks not yet packaged are kept at most this long (a broadcast nobody packages is abandoned). */
const CHUNK_TTL_SECONDS = 24 * 3600;

/** Stores chunk `seq`; false when it was already there (a retry). */
export async function storeChunk(redis: Redis, broadcastId: string, seq: number, body: Buffer): Promise<boolean> {
  const k = keys(broadcastId);
  const [[, added]] = (await redis.multi().hsetnx(k.chunks, String(seq), body).expire(k.chunks, CHUNK_TTL_SECONDS).exec()) as [[Error | null, number]];
  if (added === 1) await redis.xadd(k.arrivals, 'MAXLEN', '~', '1000', '*', 'seq', String(seq));
  return added === 1;
}

/** Wakes the packager (stop, or anything else it should look at now). */
export async function nudgePackager(redis: Redis, broadcastId: string): Promise<void> {
  await redis.xadd(keys(broadcastId).arrivals, 'MAXLEN', '~', '1000', '*', 'nudge', '1');
}

export async function pendingChunks(redis: Redis, broadcastId: string): Promise<number[]> {
  return (await redis.hkeys(keys(broadcastId).chunks)).map(Number).filter(Number.isInteger);
}

export async function readChunk(redis: Redis, broadcastId: string, seq: number): Promise<Buffer | null> {
  return redis.hgetBuffer(keys(broadcastId).chunks, String(seq));
}

/** Drops packaged chunks; chunk 0 (the WebM header) stays until the end, for a resumed packager. */
export async function dropChunks(redis: Redis, broadcastId: string, seqs: readonly number[]): Promise<void> {
  const drop = seqs.filter((s) => s !== 0).map(String);
  if (drop.length) await redis.hdel(keys(broadcastId).chunks, ...drop);
}

export async function forgetBroadcast(redis: Redis, broadcastId: string): Promise<void> {
  const k = keys(broadcastId);
  await redis.del(k.chunks, k.arrivals);
}

/**
 * Waits (on its own blocking connection) until something arrives after `lastId` or
 * `blockMs` passes; returns the new last id.
 */
export async function waitForArrivals(blocking: Redis, broadcastId: string, lastId: string, blockMs: number): Promise<string> {
  const reply = (await blocking.xread('COUNT', 100, 'BLOCK', blockMs, 'STREAMS', keys(broadcastId).arrivals, lastId)) as [string, [string, string[]][]][] | null;
  const entries = reply?.[0]?.[1];
  return entries?.length ? entries[entries.length - 1]![0] : lastId;
}
