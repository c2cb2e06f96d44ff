import { mkdir, open, rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { eq, sql } from 'drizzle-orm';
import { nextChunkStep, type ChunkQueue } from '../../media/live-chunk-order.js';
import { liveHlsArgs, liveRungs, remuxRecordingArgs } from '../../media/live-hls.js';
import { runFfmpegTool } from '../../media/ffmpeg-safety.js';
import { liveBroadcasts, type LiveBroadcast } from '../../db/schema/index.js';
import { dropChunks, forgetBroadcast, pendingChunks, readChunk, waitForArrivals } from '../live/chunk-store.js';
import { createRecordingLesson } from '../live/recording-lesson.js';
import { enqueue, type JobPayloads } from '../queues.js';
import { mediaPaths } from '../runtime/media-paths.js';
import { createRedis } from '../runtime/redis.js';
import { liveKeys, publishFolder, type PublishMemory } from '../storage/index.js';
import { handBack, type VideoJobContext } from '../video-jobs.js';

export type LiveJobContext = Omit<VideoJobContext, 'chunking'> & { redis: Redis; redisUrl: string };

/** A lesson is at most 4 hours (the upload limit); past that the packager stops. */
const MAX_BROADCAST_MS = 4 * 3600 * 1000;
const PUBLISH_EVERY_MS = 150;
const ROW_REFRESH_MS = 1_000;
/** Players still fetching the last segments when the broadcast ends get this long. */
const LIVE_FILES_KEPT_MS = 15_000;

export const liveRecordingUploadId = (broadcastId: string) => `live-${broadcastId}`;

async function loadBroadcast(ctx: LiveJobContext, id: string): Promise<LiveBroadcast | undefined> {
  const [row] = await ctx.db.select().from(liveBroadcasts).where(eq(liveBroadcasts.id, id));
  return row;
}

/**
 * The one consumer of a broadcast's chunks: feeds them in order to a fenced ffmpeg that
 * writes the HLS rungs, publishes the rolling window to the media storage, appends every
 * chunk to the recording, and when the teacher stops (or goes silent) turns the recording
 * into a lesson video. Progress is in the row, so a restarted job resumes where it was.
 */
export async function packageLive(ctx: LiveJobContext, job: Job<JobPayloads['package-live']>, token?: string) {
  try {
    return await packageBroadcast(ctx, job, token);
  } catch (error) {
    // Retried (resuming from the row) while attempts remain; then the broadcast is marked failed.
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1) && !(error instanceof DelayedError)) {
      const failure = error instanceof Error ? error.message.slice(0, 500) : String(error);
      ctx.log.error({ broadcastId: job.data.broadcastId, err: failure }, 'live packager failed for good');
      await ctx.db.update(liveBroadcasts).set({ status: 'failed', failure, stoppedAt: sql`coalesce(${liveBroadcasts.stoppedAt}, now())` }).where(eq(liveBroadcasts.id, job.data.broadcastId));
    }
    throw error;
  }
}

async function packageBroadcast(ctx: LiveJobContext, job: Job<JobPayloads['package-live']>, token?: string) {
  const { broadcastId } = job.data;
  let row = await loadBroadcast(ctx, broadcastId);
  if (!row || (row.status !== 'live' && row.status !== 'stopping')) return { skipped: row?.status ?? 'gone' };
  const staging = mediaPaths(ctx.mediaRoot).staging(liveRecordingUploadId(broadcastId));
  const hlsDir = path.join(staging, 'hls');
  const rawRecording = path.join(staging, 'recording.webm');
  await rm(hlsDir, { recursive: true, force: true });
  for (const rung of liveRungs(row.withVideo)) await mkdir(path.join(hlsDir, rung), { recursive: true });
  // A resumed job continues the recording from the last chunk it recorded.
  await open(rawRecording, 'a').then((f) => f.close());
  await truncate(rawRecording, row.recordedBytes);

  const input = new PassThrough();
  const stopFfmpeg = new AbortController();
  const abortOnShutdown = () => stopFfmpeg.abort();
  ctx.shutdown.addEventListener('abort', abortOnShutdown, { once: true });
  const ffmpeg = runFfmpegTool({ bin: ctx.ffmpegBin, args: liveHlsArgs(hlsDir, row.withVideo), timeoutMs: MAX_BROADCAST_MS, signal: stopFfmpeg.signal, stdin: input, logger: ctx.log });
  let ffmpegError: unknown = null;
  const ffmpegDone = ffmpeg.then(() => null, (error: unknown) => (ffmpegError = error));

  const prefix = liveKeys.broadcast(broadcastId);
  const memory: PublishMemory = new Map();
  let publishing = Promise.resolve();
  const publish = (final: boolean) =>
    (publishing = publishing.then(() => publishFolder(ctx.storage, hlsDir, prefix, { final, keepOthers: true, memory }).then(() => undefined, (e: Error) => ctx.log.debug({ err: e.message }, 'live publish deferred'))));
  const publisher = setInterval(() => void publish(false), PUBLISH_EVERY_MS);

  const blocking = createRedis(ctx.redisUrl, 'worker');
  const recording = await open(rawRecording, 'a');
  try {
    if (row.packagedChunks > 0) {
      // ffmpeg needs the WebM header (chunk 0) before any later cluster.
      const header = await readChunk(ctx.redis, broadcastId, 0);
      if (header) input.write(header);
    }
    let next = row.packagedChunks;
    let recordedBytes = row.recordedBytes;
    let gapSince: number | null = null;
    let lastArrivalAt = Date.now();
    let lastId = '0-0';
    let rowReadAt = Date.now();
    for (;;) {
      if (ctx.shutdown.aborted) break;
      if (ffmpegError) throw ffmpegError;
      if (Date.now() - rowReadAt > ROW_REFRESH_MS) {
        row = (await loadBroadcast(ctx, broadcastId)) ?? row;
        rowReadAt = Date.now();
      }
      const pending = await pendingChunks(ctx.redis, broadcastId);
      const queue: ChunkQueue = {
        next, pending, gapSince, lastArrivalAt, now: Date.now(),
        stop: row.status === 'stopping' ? { at: row.stoppedAt?.getTime() ?? Date.now(), lastChunk: row.lastChunk } : null,
      };
      const step = nextChunkStep(queue);
      if (step.kind === 'finish') break;
      if (step.kind === 'wait') {
        if (step.gap && gapSince === null) gapSince = Date.now();
        const seen = await waitForArrivals(blocking, broadcastId, lastId, 250);
        if (seen !== lastId) lastArrivalAt = Date.now();
        lastId = seen;
        continue;
      }
      gapSince = null;
      if (step.kind === 'skip') {
        ctx.log.warn({ broadcastId, missing: [next, step.to - 1] }, 'live chunks skipped after waiting');
        next = step.to;
        continue;
      }
      const chunk = await readChunk(ctx.redis, broadcastId, step.seq);
      if (chunk) {
        if (!input.write(chunk)) await new Promise((r) => input.once('drain', r));
        await recording.write(chunk);
        recordedBytes += chunk.length;
      }
      next = step.seq + 1;
      await ctx.db.update(liveBroadcasts).set({ packagedChunks: next, recordedBytes }).where(eq(liveBroadcasts.id, broadcastId));
      await dropChunks(ctx.redis, broadcastId, [step.seq]);
    }
  } finally {
    input.end();
    await recording.close();
    ctx.shutdown.removeEventListener('abort', abortOnShutdown);
    blocking.disconnect();
  }

  if (ctx.shutdown.aborted) {
    // The chunks stay in Redis and the row says how far we got: the next worker resumes.
    stopFfmpeg.abort();
    await ffmpegDone;
    clearInterval(publisher);
    await handBack(job, token);
  }
  await ffmpegDone;
  clearInterval(publisher);
  await publish(true);
  await publishing;
  if (ffmpegError) ctx.log.warn({ broadcastId, err: String(ffmpegError) }, 'live packager ffmpeg ended with an error');
  return finishBroadcast(ctx, broadcastId, staging, rawRecording);
}

/** The recording becomes an unlisted lesson's video through the ordinary probe → transcode → publish. */
async function finishBroadcast(ctx: LiveJobContext, broadcastId: string, staging: string, rawRecording: string) {
  const uploadId = liveRecordingUploadId(broadcastId);
  // Made where this node's ffmpeg reads an upload (the shared folder with UPLOAD_STORAGE=local,
  // this node's copy of a bucket upload with s3), then published like a teacher's upload, so
  // that any worker node may probe and transcode it.
  const upload = ctx.uploads.sourcePath(uploadId);
  const bytes = (await stat(rawRecording)).size;
  let videoId: string | null = null;
  if (bytes > 0) {
    await mkdir(path.dirname(upload), { recursive: true });
    await runFfmpegTool({ bin: ctx.ffmpegBin, args: remuxRecordingArgs(rawRecording, upload), timeoutMs: 10 * 60_000, logger: ctx.log });
    await ctx.uploads.publishSource(uploadId);
    videoId = await createRecordingLesson(ctx.db, broadcastId, uploadId, (await stat(upload)).size);
  }
  await ctx.db
    .update(liveBroadcasts)
    .set({ status: videoId ? 'recorded' : 'failed', failure: videoId ? null : 'empty-recording', stoppedAt: sql`coalesce(${liveBroadcasts.stoppedAt}, now())` })
    .where(eq(liveBroadcasts.id, broadcastId));
  if (videoId) await enqueue(ctx.queues, 'probe-video', { videoId }, videoId);
  await forgetBroadcast(ctx.redis, broadcastId);
  await rm(staging, { recursive: true, force: true });
  // Screens play the last segments and see the playlist's end; then the window goes.
  await new Promise<void>((r) => {
    const done = () => {
      clearTimeout(timer);
      r();
    };
    const timer = setTimeout(done, LIVE_FILES_KEPT_MS);
    ctx.shutdown.addEventListener('abort', done, { once: true });
  });
  await ctx.storage.removePrefix(liveKeys.broadcast(broadcastId));
  return { videoId, bytes };
}
