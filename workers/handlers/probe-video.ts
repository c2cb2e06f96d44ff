import type { Job } from 'bullmq';
import { checkUploadLimits, MAX_UPLOAD_DIMENSION, MAX_UPLOAD_SECONDS, probeUpload, type UploadRejection } from '../../media/probe.js';
import type { VideoFailure } from '../../db/schema/index.js';
import { enqueue, type JobPayloads } from '../queues.js';
import { failOnLastAttempt, loadLiveVideo, updateVideo, type VideoJobContext } from '../video-jobs.js';

const PROBE_TIMEOUT_MS = 60_000;

export function rejectionToFailure(r: UploadRejection): VideoFailure {
  if (r.code === 'too-long') return { code: r.code, params: { hours: Math.round(MAX_UPLOAD_SECONDS / 3600) } };
  if (r.code === 'dimensions-too-large') return { code: r.code, params: { max: MAX_UPLOAD_DIMENSION } };
  return { code: r.code };
}

/** The hostile-input gate: nothing is transcoded until ffprobe, fenced in, says the file is sane. */
export async function probeVideo(ctx: VideoJobContext, job: Job<JobPayloads['probe-video']>) {
  const { videoId } = job.data;
  const video = await loadLiveVideo(ctx, videoId, ['queued', 'probing']);
  if (!video) return { skipped: true };
  try {
    await updateVideo(ctx, videoId, { status: 'probing' });
    // Kept in the bucket, the upload is first copied to this node (streamed, bounded by its declared size).
    const probe = await probeUpload(await ctx.uploads.fetchSource(video.uploadId, video.sourceBytes), { timeoutMs: PROBE_TIMEOUT_MS });
    const rejections = checkUploadLimits(probe);
    if (rejections.length > 0) {
      // A refused file is an answer, not an error: no retry, the teacher is told why.
      await updateVideo(ctx, videoId, { status: 'failed', failures: rejections.map(rejectionToFailure) });
      await ctx.uploads.releaseSource(video.uploadId);
      await enqueue(ctx.queues, 'remove-video-files', { videoId }, videoId); // a refused file is not kept
      return { rejected: rejections.map((r) => r.code) };
    }
    const summary = (probe as Extract<typeof probe, { readable: true }>).summary;
    await updateVideo(ctx, videoId, {
      status: 'processing',
      progressPercent: 0,
      durationSeconds: summary.durationSeconds,
      sourceWidth: summary.video?.width ?? null,
      sourceHeight: summary.video?.height ?? null,
    });
    await enqueue(ctx.queues, 'transcode-video', { videoId }, videoId);
    return { accepted: true, durationSeconds: summary.durationSeconds };
  } catch (error) {
    return failOnLastAttempt(ctx, job, videoId, error);
  }
}
