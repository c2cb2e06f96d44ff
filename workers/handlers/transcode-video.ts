import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Job } from 'bullmq';
import { eq } from 'drizzle-orm';
import { transcodeLadder, RUNG_PLAYLIST, type X264Preset } from '../../media/hls.js';
import { planLadder, type LadderPlan } from '../../media/ladder.js';
import { probeUpload, type MediaSummary } from '../../media/probe.js';
import { videos, type VideoRendition } from '../../db/schema/index.js';
import { enqueue, type JobPayloads } from '../queues.js';
import { mediaPaths } from '../runtime/media-paths.js';
import { failOnLastAttempt, handBack, loadLiveVideo, updateVideo, type VideoJobContext } from '../video-jobs.js';
import { videoKeys } from '../storage/index.js';
import { earlyPublisher, publishLadder, withdrawEarlyPublication } from '../video-publishing.js';

const PROGRESS_EVERY_MS = 1_000;
const CANCEL_CHECK_EVERY_MS = 2_000;

/** Generous: a 4-hour lecture on a slow node must not be killed, a wedged ffmpeg must be. */
export function transcodeTimeoutMs(durationSeconds: number | null): number {
  return Math.round(((durationSeconds ?? 3600) * 3 + 600) * 1000);
}

export async function probeSummary(ctx: VideoJobContext, uploadId: string): Promise<MediaSummary> {
  const probe = await probeUpload(mediaPaths(ctx.mediaRoot).upload(uploadId), { timeoutMs: 60_000 });
  if (!probe.readable) throw new Error(`source no longer readable: ${probe.detail}`);
  return probe.summary;
}

export function renditionsOf(plan: LadderPlan): VideoRendition[] {
  return [
    ...plan.video.map((r) => ({ name: r.name, width: r.width, height: r.height, bandwidthKbps: r.ceilingKbps, playlist: `${r.name}/${RUNG_PLAYLIST}` })),
    ...(plan.audio ? [{ name: 'audio', width: null, height: null, bandwidthKbps: plan.audio.audioKbps, playlist: `audio/${RUNG_PLAYLIST}` }] : []),
  ];
}

/**
 * Decode once, encode every rung, package HLS fMP4 in this node's staging folder; the
 * lowest rungs are published as soon as they play, the whole ladder when done. Progress
 * is pushed live; a cancelled video stops ffmpeg.
 */
export async function transcodeVideo(ctx: VideoJobContext, job: Job<JobPayloads['transcode-video']>, token: string | undefined, preset?: X264Preset) {
  const { videoId } = job.data;
  const video = await loadLiveVideo(ctx, videoId, ['processing']);
  if (!video) return { skipped: true };
  const abort = new AbortController();
  const onShutdown = () => abort.abort(new Error('worker shutting down'));
  ctx.shutdown.addEventListener('abort', onShutdown);
  const cancelWatch = setInterval(async () => {
    const [row] = await ctx.db.select({ status: videos.status }).from(videos).where(eq(videos.id, videoId)).catch(() => []);
    if (!row || row.status === 'cancelled') abort.abort(new Error('video cancelled'));
  }, CANCEL_CHECK_EVERY_MS);
  let lastProgressAt = 0;
  // Whatever an earlier attempt (a killed worker) left in staging is litter: this job holds the only lock.
  const staging = mediaPaths(ctx.mediaRoot).staging(videoId);
  const ladderDir = path.join(staging, 'hls');
  let early: ReturnType<typeof earlyPublisher> | undefined;
  try {
    await rm(staging, { recursive: true, force: true });
    await withdrawEarlyPublication(ctx, videoId);
    const summary = await probeSummary(ctx, video.uploadId);
    const plan = planLadder({
      width: summary.video?.width ?? 0,
      height: summary.video?.height ?? 0,
      fps: summary.video?.fps ?? null,
      hasVideo: summary.video !== null,
      hasAudio: summary.audio !== null,
    });
    early = earlyPublisher(ctx, video, ladderDir, renditionsOf(plan));
    await transcodeLadder({
      input: mediaPaths(ctx.mediaRoot).upload(video.uploadId),
      inputDemuxer: summary.demuxer,
      outDir: ladderDir,
      plan,
      videoStreamIndex: summary.video?.index,
      audioStreamIndex: summary.audio?.index,
      encoderPreset: preset,
      ffmpegBin: ctx.ffmpegBin,
      durationSeconds: summary.durationSeconds,
      timeoutMs: transcodeTimeoutMs(summary.durationSeconds),
      signal: abort.signal,
      logger: ctx.log,
      onProgress: (p) => {
        if (p.percent === null || Date.now() - lastProgressAt < PROGRESS_EVERY_MS) return;
        lastProgressAt = Date.now();
        const percent = Math.min(99, Math.round(p.percent));
        void job.updateProgress(percent);
        void updateVideo(ctx, videoId, { progressPercent: percent });
      },
      onPlayable: ({ whileEncoding }) => whileEncoding && early?.start(),
    });
    await early.stop();
    if (ctx.shutdown.aborted) return handBack(job, token);
    if (abort.signal.aborted) return { cancelled: true };
    await publishLadder(ctx, videoId, ladderDir);
    await rm(staging, { recursive: true, force: true });
    await updateVideo(ctx, videoId, { progressPercent: 99, renditions: renditionsOf(plan) });
    await enqueue(ctx.queues, 'publish-video', { videoId }, videoId);
    return { rungs: plan.video.map((r) => r.name) };
  } catch (error) {
    await early?.stop();
    await withdrawEarlyPublication(ctx, videoId).catch(() => {});
    await rm(staging, { recursive: true, force: true });
    if (ctx.shutdown.aborted) return handBack(job, token);
    // What early publishing stored after the removal job ran would otherwise stay.
    if (abort.signal.aborted) return { cancelled: true, removed: await ctx.storage.removePrefix(videoKeys.video(videoId)) };
    return failOnLastAttempt(ctx, job, videoId, error);
  } finally {
    clearInterval(cancelWatch);
    ctx.shutdown.removeEventListener('abort', onShutdown);
  }
}
