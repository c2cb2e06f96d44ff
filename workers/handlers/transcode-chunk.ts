import { rm } from 'node:fs/promises';
import type { Job } from 'bullmq';
import { transcodeLadder, type X264Preset } from '../../media/hls.js';
import type { JobPayloads } from '../queues.js';
import { publishFolder, videoKeys, type PublishMemory } from '../storage/index.js';
import { guardTranscode } from '../transcode-guard.js';
import { chunkLadderDir, discardChunks, recordChunkProgress, removeChunkStaging } from '../video-chunks.js';
import { failOnLastAttempt, handBack, loadLiveVideo, type VideoJobContext } from '../video-jobs.js';
import { earlyPublisher, withdrawEarlyPublication, type EarlyPublisher } from '../video-publishing.js';
import { extendChunkedPublication, lectureChunks, publishFirstChunkSoFar, underPublicationLock } from '../chunk-publication.js';
import { ladderSource, planLadderFor, probeSummary, PROGRESS_EVERY_MS, removeLeftovers, renditionsOf, transcodeTimeoutMs } from './transcode-video.js';

/**
 * One time chunk of a long lecture: the whole ladder (decoded once for every rung) of
 * that part of the source, encoded into this node's staging folder (renamed into place
 * when complete), then published to the media storage under `videoKeys.chunk`, where the
 * join fetches it. A retry starts the chunk again; the other chunks are untouched.
 */
export async function transcodeChunk(ctx: VideoJobContext, job: Job<JobPayloads['transcode-chunk']>, token: string | undefined, preset?: X264Preset) {
  const chunk = job.data;
  const { videoId } = chunk;
  const video = await loadLiveVideo(ctx, videoId, ['processing']);
  if (!video) return { skipped: true };
  const guard = guardTranscode(ctx, videoId);
  const outDir = chunkLadderDir(ctx.mediaRoot, videoId, chunk.index);
  let lastProgressAt = 0;
  // Chunk 0 is offered to students while it encodes; the others extend the offer when done.
  let early: EarlyPublisher | undefined;
  let offeredWhileEncoding = false;
  const memory: PublishMemory = new Map();
  try {
    await removeLeftovers(outDir);
    await rm(outDir, { recursive: true, force: true });
    const summary = await probeSummary(ctx, video);
    const plan = planLadderFor(summary);
    const renditions = renditionsOf(plan);
    const rungs = renditions.map((r) => r.name);
    if (chunk.index === 0) early = earlyPublisher(ctx, video, renditions, () => publishFirstChunkSoFar(ctx, videoId, rungs, outDir, memory));
    await transcodeLadder({
      ...ladderSource(ctx, video.uploadId, summary, plan, preset),
      outDir,
      clip: { startSeconds: chunk.startSeconds, durationSeconds: chunk.durationSeconds },
      durationSeconds: chunk.expectedSeconds,
      timeoutMs: transcodeTimeoutMs(chunk.expectedSeconds),
      signal: guard.signal,
      onProgress: (p) => {
        if (p.outTimeSeconds === null || Date.now() - lastProgressAt < PROGRESS_EVERY_MS) return;
        lastProgressAt = Date.now();
        const done = Math.min(p.outTimeSeconds, chunk.expectedSeconds);
        void job.updateProgress(Math.round((done / chunk.expectedSeconds) * 100)).catch((e: Error) => ctx.log.warn({ err: e.message }, 'job progress failed'));
        void recordChunkProgress(ctx, chunk, done).catch((e: Error) => ctx.log.warn({ err: e.message }, 'chunk progress failed'));
      },
      onPlayable: early
        ? ({ whileEncoding }) => {
            if (!whileEncoding) return;
            offeredWhileEncoding = true;
            early?.start();
          }
        : undefined,
    });
    await early?.stop();
    if (ctx.shutdown.aborted) return await handBackChunk(ctx, job, token, offeredWhileEncoding);
    if (guard.signal.aborted) return await cancelled(ctx, videoId);
    // `final`: objects an earlier, interrupted attempt of this chunk left under its prefix go.
    await publishFolder(ctx.storage, outDir, videoKeys.chunk(videoId, chunk.index), { final: true });
    const chunks = await lectureChunks(ctx, videoId);
    // The lecture's playlists grow by this chunk (and any finished ones it was waiting for).
    // A head start, not a promise: if it fails, the next chunk or the join publishes this one.
    if (chunks) {
      await extendChunkedPublication(ctx, video, { chunks, rungs, renditions, own: { index: chunk.index, dir: outDir, memory } }).catch((error: Error) =>
        ctx.log.warn({ videoId, chunk: chunk.index, err: error.message }, 'early publication not extended'),
      );
    }
    await removeChunkStaging(ctx.mediaRoot, videoId, chunk.index);
    // Cancelled while publishing: the removal job may have run before these objects landed.
    if (!(await loadLiveVideo(ctx, videoId, ['processing']))) return await cancelled(ctx, videoId);
    await recordChunkProgress(ctx, chunk, chunk.expectedSeconds);
    return { chunk: chunk.index, of: videoId };
  } catch (error) {
    await early?.stop();
    if (ctx.shutdown.aborted) return await handBackChunk(ctx, job, token, offeredWhileEncoding);
    if (guard.signal.aborted) return await cancelled(ctx, videoId);
    await removeChunkStaging(ctx.mediaRoot, videoId, chunk.index);
    if (offeredWhileEncoding) await withdrawFirstChunk(ctx, videoId).catch((e: Error) => ctx.log.warn({ videoId, err: e.message }, 'early offer not withdrawn'));
    // The lecture fails with this chunk: its siblings' finished ladders are of no use.
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await discardChunks(ctx, videoId);
    return failOnLastAttempt(ctx, job, videoId, error);
  } finally {
    guard.dispose();
  }
}

/** The chunk goes back to the queue; another node starts it afresh, so this node's copy is litter. */
async function handBackChunk(ctx: VideoJobContext, job: Job<JobPayloads['transcode-chunk']>, token: string | undefined, offeredWhileEncoding: boolean): Promise<never> {
  await removeChunkStaging(ctx.mediaRoot, job.data.videoId, job.data.index);
  if (offeredWhileEncoding) await withdrawFirstChunk(ctx, job.data.videoId).catch((e: Error) => ctx.log.warn({ videoId: job.data.videoId, err: e.message }, 'early offer not withdrawn'));
  return handBack(job, token);
}

/**
 * Chunk 0 stopped half-way after it was offered: its EVENT playlists would never grow, so
 * the offer goes until the retry offers it again. A chunk 0 already complete in the
 * publication (an earlier attempt got that far) keeps its offer.
 */
async function withdrawFirstChunk(ctx: VideoJobContext, videoId: string) {
  const published = await underPublicationLock(ctx, videoId, async (n) => n);
  if (published === 0) await withdrawEarlyPublication(ctx, videoId);
}

/**
 * The files of a cancelled video may already have been removed while this chunk ran; it
 * may have recreated folders, and its early publication objects landing late.
 */
async function cancelled(ctx: VideoJobContext, videoId: string) {
  await discardChunks(ctx, videoId);
  await ctx.storage.removePrefix(videoKeys.video(videoId));
  return { cancelled: true };
}
