import type { Queue } from 'bullmq';
import { createQueue, queueNames, type QueueName } from '../../workers/queues.js';
import { getEnv } from '../env.server.js';
import { getServices } from '../services.server.js';
import { createRedis } from '../../workers/runtime/redis.js';

// Producers fail fast: a web request never waits on a dead Redis.
const g = globalThis as typeof globalThis & { __eduQueues?: Record<QueueName, Queue> };

export function getQueues(): Record<QueueName, Queue> {
  if (!g.__eduQueues) {
    const connection = createRedis(getEnv().REDIS_URL, 'client', { lazyConnect: false, enableOfflineQueue: true });
    const { log } = getServices();
    const onError = (error: Error) => log.error({ err: error.message }, 'queue error');
    g.__eduQueues = Object.fromEntries(queueNames.map((n) => [n, createQueue(n, connection, onError, getEnv().QUEUE_PREFIX)])) as Record<QueueName, Queue>;
  }
  return g.__eduQueues;
}

export async function closeQueues(): Promise<void> {
  const queues = g.__eduQueues;
  g.__eduQueues = undefined;
  if (queues) await Promise.allSettled(Object.values(queues).map((q) => q.close()));
}
