import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Job } from 'bullmq';
import { transcodeLadder, RUNG_PLAYLIST, type TranscodeLadderOptions, type X264Preset } from '../../media/hls.js';
import { planChunks } from '../../media/chunks.js';
import { planLadder, type LadderPlan } from '../../media/ladder.js';
import { probeUpload, type MediaSummary } from '../../media/probe.js';
import type { Video, VideoRendition } from '../../db/schema/index.js';
import { enqueue, type JobPayloads } from '../queues.js';
import { mediaPaths } from '../runtime/media-paths.js';
import { videoKeys } from '../storage/index.js';
import { guardTranscode } from '../transcode-guard.js';
import { startChunkedTranscode } from '../video-chunks.js';
import { failOnLastAttempt, handBack, loadLiveVideo, updateVideo, type VideoJobContext } from '../video-jobs.js';
import { earlyPublisher, publishLadder, withdrawEarlyPublication } from '../video-publishing.js';

export const PROGRESS_EVERY_MS = 1_000;

/**
 * A worker killed mid-transcode leaves its hidden work folder behind (and its ffmpeg, which
 * stops when the folder goes). The job holds the only lock on this folder, so whatever is
 * there now is litter from an earlier attempt.
 */
export async function removeLeftovers(ladderDir: string) {
  const parent = path.dirname(ladderDir);
  const prefix = `.${path.basename(ladderDir)}.partial-`;
  const entries = await readdir(parent).catch(() => [] as string[]);
  await Promise.all(entries.filter((e) => e.startsWith(prefix)).map((e) => rm(path.join(parent, e), { recursive: true, force: true })));
}

/** Generous: a 4-hour lecture on a slow node must not be killed, a wedged ffmpeg must be. */
export function transcodeTimeoutMs(durationSeconds: number | null): number {
  return Math.round(((durationSeconds ?? 3600) * 3 + 600) * 1000);
}

/** The upload's sane summary; on a node that shares no folder with the web, its copy is fetched first. */
export async function probeSummary(ctx: VideoJobContext, video: Pick<Video, 'uploadId' | 'sourceBytes'>): Promise<MediaSummary> {
  const probe = await probeUpload(await ctx.uploads.fetchSource(video.uploadId, video.sourceBytes), { timeoutMs: 60_000 });
  if (!probe.readable) throw new Error(`source no longer readable: ${probe.detail}`);
  return probe.summary;
}

export function planLadderFor(summary: MediaSummary): LadderPlan {
  return planLadder({
    width: summary.video?.width ?? 0,
    height: summary.video?.height ?? 0,
    fps: summary.video?.fps ?? null,
    hasVideo: summary.video !== null,
    hasAudio: summary.audio !== null,
  });
}

/** What every ladder encode of this upload shares, whole or in chunks (after probeSummary fetched it). */
export function ladderSource(ctx: VideoJobContext, uploadId: string, summary: MediaSummary, plan: LadderPlan, preset?: X264Preset) {
  return {
    input: ctx.uploads.sourcePath(uploadId),
    inputDemuxer: summary.demuxer,
    plan,
    videoStreamIndex: summary.video?.index,
    audioStreamIndex: summary.audio?.index,
    encoderPreset: preset,
    ffmpegBin: ctx.ffmpegBin,
    logger: ctx.log,
  } satisfies Partial<TranscodeLadderOptions>;
}

/** The whole ladder is published in the storage: record the renditions and go on to the poster and `ready`. */
export async function handOverToPublish(ctx: VideoJobContext, videoId: string, plan: LadderPlan) {
  await updateVideo(ctx, videoId, { progressPercent: 99, renditions: renditionsOf(plan) });
  await enqueue(ctx.queues, 'publish-video', { videoId }, videoId);
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
 * is pushed live; a cancelled video stops ffmpeg. A long lecture is instead split into
 * chunks that several workers encode at once (workers/video-chunks.ts).
 */
export async function transcodeVideo(ctx: VideoJobContext, job: Job<JobPayloads['transcode-video']>, token: string | undefined, preset?: X264Preset) {
  const { videoId } = job.data;
  const video = await loadLiveVideo(ctx, videoId, ['processing']);
  if (!video) return { skipped: true };
  const guard = guardTranscode(ctx, videoId);
  let lastProgressAt = 0;
  const staging = mediaPaths(ctx.mediaRoot).staging(videoId);
  const ladderDir = path.join(staging, 'hls');
  let early: ReturnType<typeof earlyPublisher> | undefined;
  try {
    await withdrawEarlyPublication(ctx, videoId);
    const summary = await probeSummary(ctx, video);
    const plan = planLadderFor(summary);
    const chunks = planChunks(summary.durationSeconds, plan.segmentSeconds, ctx.chunking);
    // Decided before staging is touched: a retried split must not remove running chunks' folders.
    if (chunks.length > 1) return await startChunkedTranscode(ctx, videoId, chunks);
    // Whatever an earlier attempt (a killed worker) left in staging is litter: this job holds the only lock.
    await rm(staging, { recursive: true, force: true });
    early = earlyPublisher(ctx, video, ladderDir, renditionsOf(plan));
    await transcodeLadder({
      ...ladderSource(ctx, video.uploadId, summary, plan, preset),
      outDir: ladderDir,
      durationSeconds: summary.durationSeconds,
      timeoutMs: transcodeTimeoutMs(summary.durationSeconds),
      signal: guard.signal,
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
    if (guard.signal.aborted) return { cancelled: true };
    await publishLadder(ctx, videoId, ladderDir);
    await rm(staging, { recursive: true, force: true });
    await handOverToPublish(ctx, videoId, plan);
    return { rungs: plan.video.map((r) => r.name) };
  } catch (error) {
    if (early) {
      await early.stop();
      await withdrawEarlyPublication(ctx, videoId).catch(() => {});
      await rm(staging, { recursive: true, force: true });
    }
    if (ctx.shutdown.aborted) return handBack(job, token);
    // What early publishing stored after the removal job ran would otherwise stay.
    if (guard.signal.aborted) return { cancelled: true, removed: await ctx.storage.removePrefix(videoKeys.video(videoId)) };
    return failOnLastAttempt(ctx, job, videoId, error);
  } finally {
    guard.dispose();
  }
}
