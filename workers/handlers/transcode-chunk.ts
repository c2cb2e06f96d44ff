import type { Job } from 'bullmq';
import { transcodeLadder, type X264Preset } from '../../media/hls.js';
import type { JobPayloads } from '../queues.js';
import { guardTranscode } from '../transcode-guard.js';
import { chunkLadderDir, discardChunks, recordChunkProgress } from '../video-chunks.js';
import { failOnLastAttempt, handBack, loadLiveVideo, type VideoJobContext } from '../video-jobs.js';
import { ladderSource, planLadderFor, probeSummary, PROGRESS_EVERY_MS, removeLeftovers, transcodeTimeoutMs } from './transcode-video.js';

/**
 * One time chunk of a long lecture: the whole ladder (decoded once for every rung) of
 * that part of the source, into its own folder, renamed into place when complete. A
 * retry starts the chunk again; the other chunks are untouched.
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
    const summary = await probeSummary(ctx, video.uploadId);
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
    if (ctx.shutdown.aborted) return handBack(job, token);
    if (guard.signal.aborted) return await cancelled(ctx, videoId);
    await recordChunkProgress(ctx, chunk, chunk.expectedSeconds);
    return { chunk: chunk.index, of: videoId };
  } catch (error) {
    if (ctx.shutdown.aborted) return handBack(job, token);
    if (guard.signal.aborted) return await cancelled(ctx, videoId);
    // The lecture fails with this chunk: its siblings' finished ladders are of no use.
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await discardChunks(ctx, videoId);
    return failOnLastAttempt(ctx, job, videoId, error);
  } finally {
    guard.dispose();
  }
}

/** The files of a cancelled video may already have been removed while this chunk ran; it may have recreated folders. */
async function cancelled(ctx: VideoJobContext, videoId: string) {
  await discardChunks(ctx, videoId);
  return { cancelled: true };
}
