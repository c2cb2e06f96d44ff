import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Job } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { renderPoster, renderSeekThumbnails } from '../../media/thumbnails.js';
import { videos } from '../../db/schema/index.js';
import type { JobPayloads } from '../queues.js';
import { mediaPaths } from '../runtime/media-paths.js';
import { failOnLastAttempt, loadLiveVideo, publishVideoEvent, type VideoJobContext } from '../video-jobs.js';
import { probeSummary } from './transcode-video.js';

/** Poster and seek thumbnails, then one transaction: this video is ready, the lesson's previous one replaced. */
export async function publishVideo(ctx: VideoJobContext, job: Job<JobPayloads['publish-video']>) {
  const { videoId } = job.data;
  const video = await loadLiveVideo(ctx, videoId, ['processing']);
  if (!video) return { skipped: true };
  try {
    const paths = mediaPaths(ctx.mediaRoot);
    const input = paths.upload(video.uploadId);
    const summary = await probeSummary(ctx, video.uploadId);
    if (summary.video && summary.durationSeconds) {
      const still = { timeoutMs: 120_000, inputDemuxer: summary.demuxer, logger: ctx.log };
      await renderPoster(input, path.join(paths.video(videoId), 'poster.jpg'), { ...still, durationSeconds: summary.durationSeconds });
      const thumbs = path.join(paths.video(videoId), 'thumbnails');
      await mkdir(thumbs, { recursive: true });
      await renderSeekThumbnails(input, thumbs, { ...still, everySeconds: 10, durationSeconds: summary.durationSeconds });
    }
    await ctx.db.transaction(async (tx) => {
      await tx.update(videos).set({ status: 'replaced', updatedAt: new Date() }).where(and(eq(videos.lessonId, video.lessonId), eq(videos.status, 'ready')));
      await tx
        .update(videos)
        .set({ status: 'ready', progressPercent: 100, storagePrefix: paths.ladderPrefix(videoId), readyAt: new Date(), updatedAt: new Date() })
        .where(eq(videos.id, videoId));
    });
    await publishVideoEvent(ctx, { videoId, lessonId: video.lessonId, status: 'ready', progressPercent: 100 });
    return { ready: true };
  } catch (error) {
    return failOnLastAttempt(ctx, job, videoId, error);
  }
}
