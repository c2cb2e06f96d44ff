import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Job } from 'bullmq';
import { joinChunkLadders } from '../../media/chunk-join.js';
import { MASTER_PLAYLIST } from '../../media/hls.js';
import type { JobPayloads } from '../queues.js';
import { mediaPaths } from '../runtime/media-paths.js';
import { chunkLadderDir, chunksDir, discardChunks } from '../video-chunks.js';
import { failOnLastAttempt, loadLiveVideo, type VideoJobContext } from '../video-jobs.js';
import { handOverToPublish, planLadderFor, probeSummary, removeLeftovers, renditionsOf } from './transcode-video.js';

/**
 * Every chunk of the lecture is encoded: join their ladders into the lecture's one ladder
 * (media/chunk-join.ts), drop the chunk folders and go on to publish, as a single
 * transcode would have.
 */
export async function joinChunks(ctx: VideoJobContext, job: Job<JobPayloads['join-chunks']>) {
  const { videoId, chunks } = job.data;
  const chunkRoot = chunksDir(ctx.mediaRoot, videoId);
  const video = await loadLiveVideo(ctx, videoId, ['processing']);
  if (!video) {
    await discardChunks(ctx, videoId);
    return { skipped: true };
  }
  try {
    const ladder = mediaPaths(ctx.mediaRoot).ladder(videoId);
    const plan = planLadderFor(await probeSummary(ctx, video.uploadId));
    // A retry after the chunk folders were dropped finds the joined ladder already in place.
    const alreadyJoined = !existsSync(chunkRoot) && existsSync(path.join(ladder, MASTER_PLAYLIST));
    if (!alreadyJoined) {
      await removeLeftovers(ladder);
      await joinChunkLadders({
        chunks: chunks.map((c) => ({ dir: chunkLadderDir(ctx.mediaRoot, videoId, c.index), startSeconds: c.startSeconds })),
        rungs: renditionsOf(plan).map((r) => r.name),
        outDir: ladder,
      });
    }
    await handOverToPublish(ctx, videoId, plan);
    await discardChunks(ctx, videoId);
    return { joined: chunks.length };
  } catch (error) {
    return failOnLastAttempt(ctx, job, videoId, error);
  }
}
