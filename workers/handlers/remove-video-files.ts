import { rm } from 'node:fs/promises';
import type { Job } from 'bullmq';
import { and, eq, inArray, lt } from 'drizzle-orm';
import { videos } from '../../db/schema/index.js';
import type { JobPayloads } from '../queues.js';
import { mediaPaths } from '../runtime/media-paths.js';
import { videoKeys } from '../storage/index.js';
import { removeChunkJobs } from '../video-chunks.js';
import type { VideoJobContext } from '../video-jobs.js';

// Signed links last at most 7 hours (issue 3): a day later nobody can still be watching.
export const REPLACED_KEEP_HOURS = 24;

async function removeFiles(ctx: VideoJobContext, video: { id: string; uploadId: string }) {
  const paths = mediaPaths(ctx.mediaRoot);
  await ctx.storage.removePrefix(videoKeys.video(video.id));
  await ctx.storage.removePrefix(videoKeys.chunks(video.id));
  // A chunk still encoding here when its video is cancelled writes into staging for up to
  // a few seconds (then removes what it made itself); rm retries on ENOTEMPTY.
  await rm(paths.staging(video.id), { recursive: true, force: true, maxRetries: 5, retryDelay: 400 });
  await ctx.uploads.remove(video.uploadId);
}

/** A cancelled or failed video's ladder and source are deleted; running it twice is harmless. */
export async function removeVideoFiles(ctx: VideoJobContext, job: Job<JobPayloads['remove-video-files']>) {
  const [video] = await ctx.db.select({ id: videos.id, uploadId: videos.uploadId, status: videos.status }).from(videos).where(eq(videos.id, job.data.videoId));
  if (!video || !['cancelled', 'failed'].includes(video.status)) return { skipped: true };
  const chunkJobs = await removeChunkJobs(ctx, video.id);
  await removeFiles(ctx, video);
  return { removed: video.id, chunkJobs };
}

/** Hourly: files of videos replaced more than a day ago. */
export async function sweepReplacedVideos(ctx: VideoJobContext) {
  const cutoff = new Date(Date.now() - REPLACED_KEEP_HOURS * 3600_000);
  const stale = await ctx.db
    .select({ id: videos.id, uploadId: videos.uploadId })
    .from(videos)
    .where(and(inArray(videos.status, ['replaced']), lt(videos.updatedAt, cutoff)));
  for (const video of stale) await removeFiles(ctx, video);
  return { removed: stale.length };
}
