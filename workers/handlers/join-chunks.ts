import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Job } from 'bullmq';
import { joinChunkLadders } from '../../media/chunk-join.js';
import { MASTER_PLAYLIST } from '../../media/hls.js';
import type { JobPayloads } from '../queues.js';
import { mediaPaths } from '../runtime/media-paths.js';
import { fetchFolder, videoKeys } from '../storage/index.js';
import { chunkLadderDir, chunksDir, discardChunks } from '../video-chunks.js';
import { failOnLastAttempt, loadLiveVideo, type VideoJobContext } from '../video-jobs.js';
import { publishLadder } from '../video-publishing.js';
import { handOverToPublish, planLadderFor, probeSummary, renditionsOf } from './transcode-video.js';

/**
 * Every chunk of the lecture is encoded and published under `videoKeys.chunk`: fetch them
 * into this node's staging folder, join them into the lecture's one ladder
 * (media/chunk-join.ts), publish that through the media storage like a single transcode
 * does, drop the chunks and go on to the poster and `ready`.
 */
export async function joinChunks(ctx: VideoJobContext, job: Job<JobPayloads['join-chunks']>) {
  const { videoId, chunks } = job.data;
  const video = await loadLiveVideo(ctx, videoId, ['processing']);
  if (!video) {
    await discardChunks(ctx, videoId);
    return { skipped: true };
  }
  const staging = mediaPaths(ctx.mediaRoot).staging(videoId);
  const ladderDir = path.join(staging, 'hls');
  try {
    const plan = planLadderFor(await probeSummary(ctx, video));
    // A retry after the chunks were dropped finds the joined ladder already published.
    const chunksLeft = (await ctx.storage.list(videoKeys.chunks(videoId))).length;
    const published = (await ctx.storage.list(videoKeys.ladder(videoId))).some((o) => o.key === videoKeys.ladder(videoId) + MASTER_PLAYLIST);
    if (chunksLeft > 0 || !published) {
      await rm(staging, { recursive: true, force: true });
      for (const c of chunks) {
        const fetched = await fetchFolder(ctx.storage, videoKeys.chunk(videoId, c.index), chunkLadderDir(ctx.mediaRoot, videoId, c.index));
        if (fetched === 0) throw new Error(`chunk ${c.index} of ${videoId} is not in the media storage`);
      }
      await joinChunkLadders({
        chunks: chunks.map((c) => ({ dir: chunkLadderDir(ctx.mediaRoot, videoId, c.index), startSeconds: c.startSeconds })),
        rungs: renditionsOf(plan).map((r) => r.name),
        outDir: ladderDir,
      });
      await rm(chunksDir(ctx.mediaRoot, videoId), { recursive: true, force: true });
      await publishLadder(ctx, videoId, ladderDir);
      await rm(staging, { recursive: true, force: true });
      // Cancelled while publishing: the removal job may have run before the ladder landed.
      if (!(await loadLiveVideo(ctx, videoId, ['processing']))) {
        await ctx.storage.removePrefix(videoKeys.video(videoId));
        await discardChunks(ctx, videoId);
        return { cancelled: true };
      }
    }
    await handOverToPublish(ctx, videoId, plan);
    await discardChunks(ctx, videoId);
    return { joined: chunks.length };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    return failOnLastAttempt(ctx, job, videoId, error);
  }
}
