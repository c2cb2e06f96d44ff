import { eq } from 'drizzle-orm';
import { DelayedError, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Database } from '../db/client.js';
import type { ChunkSettings } from '../media/chunks.js';
import { videos, type Video, type VideoFailure, type VideoStatus } from '../db/schema/index.js';
import type { QueueName } from './queues.js';
import type { Logger } from './runtime/logger.js';
import type { MediaStorage } from './storage/index.js';
import type { UploadStore } from './storage/upload-store.js';

/** What every video job handler is given; handlers import no process-wide state. */
export type VideoJobContext = {
  db: Database;
  log: Logger;
  mediaRoot: string;
  queues: Record<QueueName, Queue>;
  /** Publishes progress for the teacher's page (any web node relays it). */
  publisher: Redis;
  /** Aborted when the process is asked to stop: long work is handed back, not finished. */
  shutdown: AbortSignal;
  /** ffmpeg, tethered to this process so it cannot outlive a killed worker. */
  ffmpegBin: string;
  /** When a lecture is long enough to be split over several workers, and into what. */
  chunking: ChunkSettings;
  /** Where published video goes (local disk or S3-compatible), for every node. */
  storage: MediaStorage;
  /** Where finished tus uploads wait (a shared folder or the bucket); each node reads its own copy. */
  uploads: UploadStore;
};

export const VIDEO_EVENTS_CHANNEL = 'edu:video-events';
export type VideoEvent = { videoId: string; lessonId: string; status: VideoStatus; progressPercent: number; failures?: VideoFailure[]; playable?: boolean };

/** The row, or null when it is gone or no longer wanted (cancelled, replaced): the job then ends quietly. */
export async function loadLiveVideo(ctx: VideoJobContext, videoId: string, expected: readonly VideoStatus[]): Promise<Video | null> {
  const [video] = await ctx.db.select().from(videos).where(eq(videos.id, videoId));
  if (!video || !expected.includes(video.status)) {
    ctx.log.info({ videoId, status: video?.status ?? 'gone' }, 'video job skipped');
    return null;
  }
  return video;
}

export async function updateVideo(ctx: VideoJobContext, videoId: string, changes: Partial<Pick<Video, 'status' | 'progressPercent' | 'failures' | 'durationSeconds' | 'sourceWidth' | 'sourceHeight' | 'renditions'>>) {
  const [row] = await ctx.db
    .update(videos)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(videos.id, videoId))
    .returning({ lessonId: videos.lessonId, status: videos.status, progressPercent: videos.progressPercent, failures: videos.failures });
  if (row) await publishVideoEvent(ctx, { videoId, ...row });
}

export async function publishVideoEvent(ctx: VideoJobContext, event: VideoEvent) {
  await ctx.publisher.publish(VIDEO_EVENTS_CHANNEL, JSON.stringify(event)).catch((e: Error) => ctx.log.warn({ err: e.message }, 'progress publish failed'));
}

/**
 * Marks the video failed when this was the job's last attempt, then rethrows so BullMQ
 * records the failure (and retries with backoff while attempts remain).
 */
export async function failOnLastAttempt(ctx: VideoJobContext, job: Job, videoId: string, error: unknown): Promise<never> {
  const attempts = job.opts.attempts ?? 1;
  if (job.attemptsMade + 1 >= attempts) {
    const detail = error instanceof Error ? error.message.slice(0, 500) : String(error);
    ctx.log.error({ videoId, job: job.name, err: detail }, 'video job failed for good');
    await updateVideo(ctx, videoId, { status: 'failed', failures: [{ code: `${job.name}-failed` }] });
  }
  throw error;
}

/**
 * Puts the job back in the queue without spending an attempt (BullMQ's documented way),
 * so another worker, or this one after a restart, starts it again.
 */
export async function handBack(job: Job, token: string | undefined): Promise<never> {
  await job.moveToDelayed(Date.now() + 1_000, token);
  throw new DelayedError();
}
