import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Job } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { renderPoster, renderSeekThumbnails, stillsTimeoutMs } from '../../media/thumbnails.js';
import { videos } from '../../db/schema/index.js';
import type { JobPayloads } from '../queues.js';
import { mediaPaths } from '../runtime/media-paths.js';
import { publishFolder, videoKeys } from '../storage/index.js';
import { failOnLastAttempt, loadLiveVideo, publishVideoEvent, type VideoJobContext } from '../video-jobs.js';
import { probeSummary } from './transcode-video.js';
import { recordPublishedFileSizes } from './check-video-files.js';
import { publishPendingCaptions } from '../captions.js';

/**
 * Poster and seek thumbnails (made in staging, then published beside the ladder, which
 * the transcode already published), then one transaction: this video is ready, the
 * lesson's previous one replaced; then the upload is deleted.
 */
export async function publishVideo(ctx: VideoJobContext, job: Job<JobPayloads['publish-video']>) {
  const { videoId } = job.data;
  const video = await loadLiveVideo(ctx, videoId, ['processing']);
  if (!video) return { skipped: true };
  const paths = mediaPaths(ctx.mediaRoot);
  const stills = path.join(paths.staging(videoId), 'stills');
  try {
    const summary = await probeSummary(ctx, video);
    const input = ctx.uploads.sourcePath(video.uploadId);
    await rm(stills, { recursive: true, force: true });
    if (summary.video && summary.durationSeconds) {
      // Tethered like every worker ffmpeg: it dies with this process.
      const still = { timeoutMs: stillsTimeoutMs(summary.durationSeconds), inputDemuxer: summary.demuxer, logger: ctx.log, ffmpegBin: ctx.ffmpegBin };
      await mkdir(path.join(stills, 'thumbnails'), { recursive: true });
      await renderPoster(input, path.join(stills, 'poster.jpg'), { ...still, durationSeconds: summary.durationSeconds });
      await renderSeekThumbnails(input, path.join(stills, 'thumbnails'), { ...still, everySeconds: 10, durationSeconds: summary.durationSeconds });
      // The ladder already published under the same prefix stays.
      await publishFolder(ctx.storage, stills, videoKeys.video(videoId), { final: true, keepOthers: true });
    }
    // Captions the teacher added while it encoded: on the ladder before students see it.
    const captioned = await publishPendingCaptions(ctx, videoId);
    // Every segment and still is in place: their sizes, for the storage check to hold them to.
    await recordPublishedFileSizes(ctx.storage, videoId);
    // Gone before the video is called ready: whoever sees "ready" finds nothing half-made.
    await rm(paths.staging(videoId), { recursive: true, force: true });
    await ctx.db.transaction(async (tx) => {
      await tx.update(videos).set({ status: 'replaced', updatedAt: new Date() }).where(and(eq(videos.lessonId, video.lessonId), eq(videos.status, 'ready')));
      await tx
        .update(videos)
        .set({ status: 'ready', progressPercent: 100, storagePrefix: paths.ladderPrefix(videoId), readyAt: new Date(), updatedAt: new Date() })
        .where(eq(videos.id, videoId));
    });
    // Any that arrived during the last steps (the studio publishes those itself once it sees ready).
    captioned.push(...(await publishPendingCaptions(ctx, videoId)));
    await publishVideoEvent(ctx, { videoId, lessonId: video.lessonId, status: 'ready', progressPercent: 100 });
    // Published: the source is of no further use (other nodes' copies go with their hourly sweep).
    const sourceRemoved = await ctx.uploads.remove(video.uploadId).then(
      () => true,
      (e: Error) => (ctx.log.warn({ videoId, err: e.message }, 'published video kept its upload'), false),
    );
    return { ready: true, sourceRemoved, captioned };
  } catch (error) {
    return failOnLastAttempt(ctx, job, videoId, error);
  } finally {
    await rm(paths.staging(videoId), { recursive: true, force: true });
  }
}
