// The worker process: runs BullMQ jobs, beats a heartbeat for /healthz, and on
// SIGINT/SIGTERM lets in-flight jobs finish (or hands them back) before closing.
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { z } from 'zod';
import { createDatabase } from '../db/client.js';
import { purgeExpiredSessions } from './handlers/purge-expired-sessions.js';
import { createQueue, jobId, type JobName } from './queues.js';
import { parseEnvOrExit, serviceEnvSchema } from './runtime/env.js';
import { beat, forget, HEARTBEAT_INTERVAL_MS } from './runtime/heartbeat.js';
import { createLogger } from './runtime/logger.js';
import { createRedis } from './runtime/redis.js';
import { connectServices, exitOnStartupError } from './runtime/startup.js';

const env = parseEnvOrExit(serviceEnvSchema.extend({ WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2) }));
const log = createLogger('worker', env.LOG_LEVEL);
const workerId = `${hostname()}-${process.pid}`;

const { db, sql } = createDatabase(env.DATABASE_URL, { max: 5 });
const redis = createRedis(env.REDIS_URL, 'worker');
await connectServices({ sql, databaseUrl: env.DATABASE_URL, redis, redisUrl: env.REDIS_URL }).catch(exitOnStartupError);
redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));

const handlers: Record<JobName, (job: Job) => Promise<unknown>> = {
  'purge-expired-sessions': (job) => purgeExpiredSessions(db, job),
};

const maintenance = new Worker(
  'maintenance',
  async (job) => {
    const handler = handlers[job.name as JobName];
    if (!handler) throw new Error(`unknown job type ${job.name}`);
    return handler(job);
  },
  { connection: redis, concurrency: env.WORKER_CONCURRENCY, lockDuration: 60_000 },
);
maintenance.on('error', (error) => log.error({ err: error.message }, 'worker error'));
maintenance.on('failed', (job, error) => log.warn({ job: job?.id, name: job?.name, err: error.message }, 'job failed'));
maintenance.on('completed', (job, result) => log.info({ job: job.id, name: job.name, result }, 'job completed'));

// Hourly clean-up; the scheduler id makes this idempotent across restarts and processes.
const maintenanceQueue = createQueue('maintenance', redis, (error) => log.error({ err: error.message }, 'queue error'));
await maintenanceQueue.upsertJobScheduler(
  jobId('purge-expired-sessions', 'hourly'),
  { every: 3600_000 },
  { name: 'purge-expired-sessions', data: { olderThanHours: 24 } },
);

await beat(redis, workerId);
const heartbeat = setInterval(() => void beat(redis, workerId).catch((e: Error) => log.warn({ err: e.message }, 'heartbeat failed')), HEARTBEAT_INTERVAL_MS);
log.info({ workerId, concurrency: env.WORKER_CONCURRENCY }, 'worker started');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'worker shutting down: waiting for in-flight jobs');
  clearInterval(heartbeat);
  // close() waits for running jobs; a job still running when the process is killed is
  // found stalled by another worker and retried.
  await maintenance.close();
  await maintenanceQueue.close();
  await forget(redis, workerId).catch(() => {});
  await Promise.allSettled([sql.end({ timeout: 5 }), redis.quit()]);
  log.info('worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
