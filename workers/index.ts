// The worker process: runs BullMQ jobs, beats a heartbeat for /healthz, and on
// SIGINT/SIGTERM lets in-flight jobs finish (or hands them back) before closing.
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { z } from 'zod';
import { createDatabase } from '../db/client.js';
import { DEFAULT_CHUNK_SETTINGS, DEFAULT_TRANSCODES_AT_ONCE } from '../media/chunks.js';
import { joinChunks } from './handlers/join-chunks.js';
import { packageLive, type LiveJobContext } from './handlers/package-live.js';
import { probeVideo } from './handlers/probe-video.js';
import { publishVideo } from './handlers/publish-video.js';
import { purgeAbandonedUploads } from './handlers/purge-abandoned-uploads.js';
import { purgeExpiredSessions } from './handlers/purge-expired-sessions.js';
import { renderSlides, type SlideJobContext } from './handlers/render-slides.js';
import { detectPdfFence } from '../media/pdf-pages.js';
import { removeVideoFiles, sweepReplacedVideos } from './handlers/remove-video-files.js';
import { checkVideoFiles } from './handlers/check-video-files.js';
import { transcodeChunk } from './handlers/transcode-chunk.js';
import { transcodeVideo } from './handlers/transcode-video.js';
import { createQueue, jobId, queueNames, type JobName, type QueueName } from './queues.js';
import { mailEnvSchema, parseEnvOrExit, requireS3Settings, serviceEnvSchema } from './runtime/env.js';
import { sendMail, type MailJobContext } from './handlers/send-mail.js';
import { createMailTransport, describeSmtpUrl } from './mail/transport.js';
import { beat, forget, HEARTBEAT_INTERVAL_MS } from './runtime/heartbeat.js';
import { createLogger } from './runtime/logger.js';
import { createRedis } from './runtime/redis.js';
import { connectServices, exitOnStartupError } from './runtime/startup.js';
import { createMediaStorage } from './storage/index.js';
import { createUploadStore } from './storage/upload-store.js';
import { sweepSourceCopies } from './handlers/sweep-source-copies.js';
import { tetheredFfmpegBin } from './runtime/ffmpeg-bin.js';
import type { VideoJobContext } from './video-jobs.js';

const env = parseEnvOrExit(
  serviceEnvSchema.extend({
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    /**
     * Transcodes (or chunks of one) a worker process runs at once. Two: ffmpeg 5.1 feeds
     * all its encoders from one main thread, so a single ladder leaves part of a 2-core
     * machine idle; two side by side finished the same lecture 1.19x sooner (bench:transcode).
     */
    VIDEO_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(DEFAULT_TRANSCODES_AT_ONCE),
    VIDEO_ENCODER_PRESET: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).optional(),
    /** How long a dead worker's transcode stays locked before another worker takes it over. */
    VIDEO_LOCK_MS: z.coerce.number().int().min(2_000).default(120_000),
    /** Lectures longer than this are split into chunks that several workers encode at once. */
    VIDEO_CHUNKED_FROM_SECONDS: z.coerce.number().int().min(8).default(DEFAULT_CHUNK_SETTINGS.chunkedFromSeconds),
    VIDEO_CHUNK_SECONDS: z.coerce.number().int().min(4).default(DEFAULT_CHUNK_SETTINGS.chunkSeconds),
    /** Live broadcasts this worker packages at once (each is one light ffmpeg for the whole lesson). */
    LIVE_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  }).merge(mailEnvSchema).superRefine(requireS3Settings),
);
const log = createLogger('worker', env.LOG_LEVEL);
const workerId = `${hostname()}-${process.pid}`;

const { db, sql } = createDatabase(env.DATABASE_URL, { max: 5 });
const redis = createRedis(env.REDIS_URL, 'worker');
await connectServices({ sql, databaseUrl: env.DATABASE_URL, redis, redisUrl: env.REDIS_URL }).catch(exitOnStartupError);
redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
const publisher = createRedis(env.REDIS_URL, 'client', { lazyConnect: false, enableOfflineQueue: true });
publisher.on('error', (error) => log.warn({ err: error.message }, 'redis publisher error'));

const onQueueError = (error: Error) => log.error({ err: error.message }, 'queue error');
const queues = Object.fromEntries(queueNames.map((name) => [name, createQueue(name, redis, onQueueError, env.QUEUE_PREFIX)])) as VideoJobContext['queues'];
const uploadStore = createUploadStore(env);
const stopSignal = new AbortController();
const storage = createMediaStorage(env);
const videoContext: VideoJobContext = {
  db, log, mediaRoot: env.MEDIA_ROOT, queues, publisher, shutdown: stopSignal.signal, ffmpegBin: tetheredFfmpegBin(), storage, uploads: uploadStore,
  chunking: { ...DEFAULT_CHUNK_SETTINGS, chunkedFromSeconds: env.VIDEO_CHUNKED_FROM_SECONDS, chunkSeconds: env.VIDEO_CHUNK_SECONDS },
};
const liveContext: LiveJobContext = { ...videoContext, redis, redisUrl: env.REDIS_URL };
const slideContext: SlideJobContext = { db, log, storage, publisher, shutdown: stopSignal.signal, ffmpegBin: videoContext.ffmpegBin, fence: detectPdfFence() };
const mailContext: MailJobContext = { db, log, transport: env.SMTP_URL ? createMailTransport({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM }) : null, from: env.MAIL_FROM };
if (!env.SMTP_URL) log.warn('SMTP_URL is not set: mail (address checks, password resets) is not sent');
if (!slideContext.fence.unshareNet) log.warn('no user namespaces here: the PDF renderer runs without its network fence');

const handlers: Record<JobName, (job: Job, token?: string) => Promise<unknown>> = {
  'purge-expired-sessions': (job) => purgeExpiredSessions(db, job),
  'purge-abandoned-uploads': () => purgeAbandonedUploads(uploadStore),
  'probe-video': (job) => probeVideo(videoContext, job),
  'transcode-video': (job, token) => transcodeVideo(videoContext, job, token, env.VIDEO_ENCODER_PRESET),
  'transcode-chunk': (job, token) => transcodeChunk(videoContext, job, token, env.VIDEO_ENCODER_PRESET),
  'join-chunks': (job) => joinChunks(videoContext, job),
  'publish-video': (job) => publishVideo(videoContext, job),
  'remove-video-files': (job) => removeVideoFiles(videoContext, job),
  'sweep-replaced-videos': () => sweepReplacedVideos(videoContext),
  'check-video-files': (job) => checkVideoFiles(videoContext, job),
  'package-live': (job, token) => packageLive(liveContext, job, token),
  'render-slides': (job) => renderSlides(slideContext, job),
  'send-mail': (job) => sendMail(mailContext, job),
};

function startWorker(queue: QueueName, concurrency: number, lockDuration: number): Worker {
  const worker = new Worker(
    queue,
    async (job, token) => {
      const handler = handlers[job.name as JobName];
      if (!handler) throw new Error(`unknown job type ${job.name}`);
      return handler(job, token);
    },
    // `name` is recorded on each job as processedBy: which node did the work.
    { connection: redis, concurrency, lockDuration, stalledInterval: Math.min(30_000, lockDuration), prefix: env.QUEUE_PREFIX, name: workerId },
  );
  worker.on('error', (error) => log.error({ err: error.message, queue }, 'worker error'));
  worker.on('failed', (job, error) => log.warn({ job: job?.id, name: job?.name, err: error.message }, 'job failed'));
  worker.on('completed', (job, result) => log.info({ job: job.id, name: job.name, result }, 'job completed'));
  return worker;
}

// A transcode holds its lock while ffmpeg runs (BullMQ renews it); if this process dies,
// the lock lapses and another worker takes the stalled job over.
// Slides get their own queue so a teacher's PDF never waits behind an hour of transcoding; a live packager runs as
// long as the broadcast, and its short lock lets another worker resume it soon after this one dies.
const workers = [startWorker('maintenance', env.WORKER_CONCURRENCY, 60_000), startWorker('video', env.VIDEO_CONCURRENCY, env.VIDEO_LOCK_MS), startWorker('slides', 1, 60_000), startWorker('live', env.LIVE_CONCURRENCY, 15_000), startWorker('mail', 2, 60_000)];

// Idempotent schedulers: the same ids across restarts and processes.
await queues.maintenance.upsertJobScheduler(jobId('purge-expired-sessions', 'hourly'), { every: 3600_000 }, { name: 'purge-expired-sessions', data: { olderThanHours: 24 } });
await queues.maintenance.upsertJobScheduler(jobId('purge-abandoned-uploads', 'hourly'), { every: 3600_000 }, { name: 'purge-abandoned-uploads', data: {} });
await queues.maintenance.upsertJobScheduler(jobId('sweep-replaced-videos', 'hourly'), { every: 3600_000 }, { name: 'sweep-replaced-videos', data: {} });
await queues.maintenance.upsertJobScheduler(jobId('check-video-files', 'daily'), { every: 24 * 3600_000 }, { name: 'check-video-files', data: {} });

// Each node's own copies of bucket uploads: a scheduled job would run on one node only.
const sweepCopies = () => void sweepSourceCopies(videoContext).catch((e: Error) => log.warn({ err: e.message }, 'source copy sweep failed'));
sweepCopies();
const copySweep = setInterval(sweepCopies, 3600_000);

await beat(redis, workerId);
const heartbeat = setInterval(() => void beat(redis, workerId).catch((e: Error) => log.warn({ err: e.message }, 'heartbeat failed')), HEARTBEAT_INTERVAL_MS);
log.info({ workerId, concurrency: env.WORKER_CONCURRENCY, videoConcurrency: env.VIDEO_CONCURRENCY, mediaStorage: storage.kind, uploadStorage: uploadStore.kind, smtp: env.SMTP_URL ? describeSmtpUrl(env.SMTP_URL) : null }, 'worker started');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'worker shutting down: waiting for in-flight jobs');
  clearInterval(heartbeat);
  clearInterval(copySweep);
  // Short jobs finish; a transcode is aborted (ffmpeg killed, its temp folder removed) and
  // handed back to the queue. A process killed outright leaves its job stalled: when the
  // lock lapses another worker takes it over.
  stopSignal.abort();
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(Object.values(queues).map((q) => q.close()));
  await forget(redis, workerId).catch(() => {});
  await Promise.allSettled([sql.end({ timeout: 5 }), redis.quit(), publisher.quit()]);
  log.info('worker stopped');
  process.exit(0);
}
// A rejection nobody waited for must not take every in-flight job down with the process
// (session 11: a timed-out ffmpeg still on a 60-minute lecture ended the worker; the job,
// taken over once its lock lapsed, would have ended the next worker the same way; where
// the rejection escaped is not found yet). It is logged with its stack; BullMQ's
// stalled-job recovery covers a job whose promise was lost.
process.on('unhandledRejection', (reason) => log.error({ err: reason instanceof Error ? reason.stack : String(reason) }, 'unhandled rejection'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
