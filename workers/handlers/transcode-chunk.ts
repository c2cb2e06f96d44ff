import { rm } from 'node:fs/promises';
import type { Job } from 'bullmq';
import { transcodeLadder, type X264Preset } from '../../media/hls.js';
import type { JobPayloads } from '../queues.js';
import { publishFolder, videoKeys } from '../storage/index.js';
import { guardTranscode } from '../transcode-guard.js';
import { chunkLadderDir, discardChunks, recordChunkProgress, removeChunkStaging } from '../video-chunks.js';
import { failOnLastAttempt, handBack, loadLiveVideo, type VideoJobContext } from '../video-jobs.js';
import { ladderSource, planLadderFor, probeSummary, PROGRESS_EVERY_MS, removeLeftovers, transcodeTimeoutMs } from './transcode-video.js';

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
  try {
    await removeLeftovers(outDir);
    await rm(outDir, { recursive: true, force: true });
    const summary = await probeSummary(ctx, video);
    const plan = planLadderFor(summary);
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
        void job.updateProgress(Math.round((done / chunk.expectedSeconds) * 100));
        void recordChunkProgress(ctx, chunk, done).catch((e: Error) => ctx.log.warn({ err: e.message }, 'chunk progress failed'));
      },
    });
    if (ctx.shutdown.aborted) return await handBackChunk(ctx, job, token);
    if (guard.signal.aborted) return await cancelled(ctx, videoId);
    // `final`: objects an earlier, interrupted attempt of this chunk left under its prefix go.
    await publishFolder(ctx.storage, outDir, videoKeys.chunk(videoId, chunk.index), { final: true });
    await removeChunkStaging(ctx.mediaRoot, videoId, chunk.index);
    // Cancelled while publishing: the removal job may have run before these objects landed.
    if (!(await loadLiveVideo(ctx, videoId, ['processing']))) return await cancelled(ctx, videoId);
    await recordChunkProgress(ctx, chunk, chunk.expectedSeconds);
    return { chunk: chunk.index, of: videoId };
  } catch (error) {
    if (ctx.shutdown.aborted) return await handBackChunk(ctx, job, token);
    if (guard.signal.aborted) return await cancelled(ctx, videoId);
    await removeChunkStaging(ctx.mediaRoot, videoId, chunk.index);
    // The lecture fails with this chunk: its siblings' finished ladders are of no use.
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await discardChunks(ctx, videoId);
    return failOnLastAttempt(ctx, job, videoId, error);
  } finally {
    guard.dispose();
  }
}

/** The chunk goes back to the queue; another node starts it afresh, so this node's copy is litter. */
async function handBackChunk(ctx: VideoJobContext, job: Job<JobPayloads['transcode-chunk']>, token: string | undefined): Promise<never> {
  await removeChunkStaging(ctx.mediaRoot, job.data.videoId, job.data.index);
  return handBack(job, token);
}

/** The files of a cancelled video may already have been removed while this chunk ran; it may have recreated folders. */
async function cancelled(ctx: VideoJobContext, videoId: string) {
  await discardChunks(ctx, videoId);
  return { cancelled: true };
}
