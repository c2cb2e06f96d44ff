import { rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { FlowProducer } from 'bullmq';
import type { TranscodeChunk } from '../media/chunks.js';
import { resetChunkedPublication } from './chunk-publication.js';
import { defaultJobOptions, jobId, type JobPayloads } from './queues.js';
import { mediaPaths } from './runtime/media-paths.js';
import { videoKeys } from './storage/index.js';
import { updateVideo, type VideoJobContext } from './video-jobs.js';

/**
 * One long lecture over several workers (docs/decisions/014-chunked-transcoding.md): a
 * BullMQ flow whose children are the lecture's time chunks (`transcode-chunk`, any worker
 * takes any chunk) and whose parent (`join-chunks`) runs once they are all done. Ids are
 * deterministic, so a retried split adds nothing twice; a chunk that fails is retried on
 * its own; a chunk that fails for good fails the parent (and the video).
 */

/**
 * A chunk is encoded into this node's staging folder, then published to the media storage
 * under `videoKeys.chunk` (local disk or S3: worker nodes need not share a disk), where it
 * waits for the join; the join fetches every chunk back into its own staging folder.
 */
export const chunksDir = (mediaRoot: string, videoId: string) => path.join(mediaPaths(mediaRoot).staging(videoId), 'chunks');
export const chunkLadderDir = (mediaRoot: string, videoId: string, index: number) => path.join(chunksDir(mediaRoot, videoId), String(index));

/** Removes a chunk's folder from this node's staging, and its parents once empty. */
export async function removeChunkStaging(mediaRoot: string, videoId: string, index: number) {
  await rm(chunkLadderDir(mediaRoot, videoId, index), { recursive: true, force: true });
  await rmdir(chunksDir(mediaRoot, videoId)).catch(() => {});
  await rmdir(mediaPaths(mediaRoot).staging(videoId)).catch(() => {});
}

// Done seconds per chunk, summed into the lecture's percentage; whichever worker reports.
const progressKey = (videoId: string) => `edu:video-chunk-progress:${videoId}`;
const PROGRESS_KEY_TTL_SECONDS = 24 * 3600;
/** The join and publish still follow the last chunk. */
const MAX_CHUNKED_PERCENT = 98;

export async function startChunkedTranscode(ctx: VideoJobContext, videoId: string, chunks: readonly TranscodeChunk[]) {
  const video = ctx.queues.video;
  const parentId = jobId('join-chunks', videoId);
  // A retried transcode-video (its worker died after adding the flow) must not split twice.
  if (await video.getJob(parentId)) return { chunked: chunks.length, alreadySplit: true };
  const totalSeconds = chunks.reduce((sum, c) => sum + c.expectedSeconds, 0);
  const flows = new FlowProducer({ connection: video.opts.connection, prefix: video.opts.prefix });
  flows.on('error', (error) => ctx.log.error({ err: error.message }, 'flow producer error'));
  try {
    await ctx.publisher.del(progressKey(videoId));
    await resetChunkedPublication(ctx, videoId);
    await flows.add({
      name: 'join-chunks',
      queueName: video.name,
      data: { videoId, chunks: chunks.map(({ index, startSeconds }) => ({ index, startSeconds })) } satisfies JobPayloads['join-chunks'],
      opts: { ...defaultJobOptions, jobId: parentId },
      children: chunks.map((chunk) => ({
        name: 'transcode-chunk',
        queueName: video.name,
        data: { videoId, ...chunk, totalSeconds } satisfies JobPayloads['transcode-chunk'],
        opts: { ...defaultJobOptions, jobId: jobId('transcode-chunk', videoId, chunk.index), failParentOnFailure: true },
      })),
    });
  } finally {
    await flows.close();
  }
  ctx.log.info({ videoId, chunks: chunks.length }, 'lecture split into chunks');
  return { chunked: chunks.length };
}

/** Records how far one chunk has got and shows the teacher the whole lecture's percentage. */
export async function recordChunkProgress(ctx: VideoJobContext, chunk: JobPayloads['transcode-chunk'], doneSeconds: number) {
  const key = progressKey(chunk.videoId);
  const result = await ctx.publisher
    .multi()
    .hset(key, String(chunk.index), doneSeconds.toFixed(1))
    .expire(key, PROGRESS_KEY_TTL_SECONDS)
    .hvals(key)
    .exec();
  const values = (result?.[2]?.[1] ?? []) as string[];
  const done = values.reduce((sum, v) => sum + Number(v), 0);
  const percent = Math.min(MAX_CHUNKED_PERCENT, Math.floor((done / chunk.totalSeconds) * 100));
  await updateVideo(ctx, chunk.videoId, { progressPercent: percent });
  return percent;
}

/**
 * Drops the chunk ladders (published ones in the storage, and what is in this node's
 * staging) and their progress. The staging folder goes too when nothing else is in it: a
 * cancelled video's files were removed while a chunk was still running, and that chunk's
 * encoder recreated the folders.
 */
export async function discardChunks(ctx: VideoJobContext, videoId: string) {
  await ctx.storage.removePrefix(videoKeys.chunks(videoId));
  await rm(chunksDir(ctx.mediaRoot, videoId), { recursive: true, force: true });
  await rmdir(mediaPaths(ctx.mediaRoot).staging(videoId)).catch(() => {});
  await ctx.publisher.del(progressKey(videoId));
}

/**
 * Cancellation: every chunk job not yet running is removed, then the join. A running chunk
 * cannot be removed (a worker holds its lock); its worker sees the cancellation within
 * seconds, stops ffmpeg and ends, and the join, if still there, then finds the video
 * cancelled and only removes the chunk folders.
 */
export async function removeChunkJobs(ctx: VideoJobContext, videoId: string): Promise<number> {
  const queue = ctx.queues.video;
  const parent = await queue.getJob(jobId('join-chunks', videoId));
  if (!parent) return 0;
  let removed = 0;
  for (const { index } of (parent.data as JobPayloads['join-chunks']).chunks) {
    const chunk = await queue.getJob(jobId('transcode-chunk', videoId, index));
    if (!chunk || (await chunk.isActive())) continue;
    removed += await chunk.remove().then(() => 1, () => 0);
  }
  removed += await parent.remove({ removeChildren: true }).then(() => 1, () => 0);
  await ctx.publisher.del(progressKey(videoId));
  return removed;
}
