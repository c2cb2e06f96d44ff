import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisUploadLocker } from '../../app/server/upload-locker.js';
import { createRedis } from '../../workers/runtime/redis.js';
import { testServiceEnv } from '../support/env.js';

// Two web nodes' lockers, each with its own Redis connections, as two processes have.
const connections = Array.from({ length: 4 }, () => createRedis(testServiceEnv().REDIS_URL, 'worker', { lazyConnect: false }));
const [redisA, subA, redisB, subB] = connections as [typeof connections[0], typeof connections[0], typeof connections[0], typeof connections[0]];
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
});

describe('the tus upload lock shared by web nodes through Redis', () => {
  it('a node asking for a held lock makes the holder cancel its request, then gets the lock', async () => {
    const a = new RedisUploadLocker({ redis: redisA, subscriber: subA, retryMs: 20 });
    const b = new RedisUploadLocker({ redis: redisB, subscriber: subB, retryMs: 20 });
    await Promise.all([a.ready(), b.ready()]);
    const id = randomUUID();
    const held = a.newLock(id);
    let cancelled = false;
    await held.lock(new AbortController().signal, async () => {
      cancelled = true;
      await held.unlock(); // what tus does once the cancelled request has stored its bytes
    });

    const wanted = b.newLock(id);
    await wanted.lock(new AbortController().signal, () => {});
    expect(cancelled).toBe(true);
    expect(await redisA.get(`edu:tus-lock:${id}`)).not.toBeNull();

    // A's late unlock must not free B's lock.
    await held.unlock();
    expect(await redisA.get(`edu:tus-lock:${id}`)).not.toBeNull();
    await wanted.unlock();
    expect(await redisA.get(`edu:tus-lock:${id}`)).toBeNull();
  });

  it('asks again when the holder did not hear the first request (its subscriber was reconnecting)', async () => {
    const a = new RedisUploadLocker({ redis: redisA, subscriber: subA, retryMs: 20 });
    const b = new RedisUploadLocker({ redis: redisB, subscriber: subB, retryMs: 20, acquireTimeoutMs: 5_000 });
    await Promise.all([a.ready(), b.ready()]);
    const id = randomUUID();
    const held = a.newLock(id);
    let cancelled = 0;
    await held.lock(new AbortController().signal, async () => {
      cancelled++;
      await held.unlock();
    });
    await subA.unsubscribe('edu:tus-lock-release');
    const wanted = b.newLock(id).lock(new AbortController().signal, () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cancelled).toBe(0); // the first request went nowhere
    await subA.subscribe('edu:tus-lock-release');
    await wanted;
    expect(cancelled).toBe(1);
  });

  it('a locker made while its subscriber is still connecting subscribes only once the connection is ready', async () => {
    const errors: string[] = [];
    for (let i = 0; i < 5; i++) {
      const subscriber = createRedis(testServiceEnv().REDIS_URL, 'worker', { lazyConnect: false });
      subscriber.on('error', (e: Error) => errors.push(e.message));
      // Between the TCP connect and ioredis's ready check: a SUBSCRIBE here broke that check.
      await new Promise((resolve) => subscriber.once('connect', resolve));
      const holder = new RedisUploadLocker({ redis: redisA, subscriber, retryMs: 20 });
      await holder.ready();
      const id = randomUUID();
      const held = holder.newLock(id);
      await held.lock(new AbortController().signal, () => held.unlock());
      const b = new RedisUploadLocker({ redis: redisB, subscriber: subB, retryMs: 20, acquireTimeoutMs: 5_000 });
      const wanted = b.newLock(id);
      await wanted.lock(new AbortController().signal, () => {});
      await wanted.unlock();
      await subscriber.quit();
    }
    expect(errors).toEqual([]);
  });

  it('gives up when the holder never lets go, and takes over once a dead holder’s lock lapses', async () => {
    const b = new RedisUploadLocker({ redis: redisB, subscriber: subB, retryMs: 20, acquireTimeoutMs: 300 });
    const id = randomUUID();
    // A holder that keeps its lock and ignores requests (a hung node): B gives up.
    await redisA.set(`edu:tus-lock:${id}`, 'hung-node', 'PX', 60_000);
    await expect(b.newLock(id).lock(new AbortController().signal, () => {})).rejects.toMatchObject({ status_code: 500 });
    // A holder that died: its key expires, and B gets the lock.
    await redisA.set(`edu:tus-lock:${id}`, 'dead-node', 'PX', 100);
    const patient = new RedisUploadLocker({ redis: redisB, subscriber: subB, retryMs: 20, acquireTimeoutMs: 30_000 });
    const lock = patient.newLock(id);
    await lock.lock(new AbortController().signal, () => {});
    await lock.unlock();
  });
});
