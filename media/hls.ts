import { chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { MediaLogger } from './ffmpeg-safety.js';
import { FFMPEG_GLOBAL_ARGS, runFfmpegTool, safeInputArgs, safeOutputArgs } from './ffmpeg-safety.js';
import type { LadderPlan, VideoRung } from './ladder.js';
import { AUDIO_SAMPLE_RATE } from './ladder.js';
import type { TranscodeProgress } from './progress.js';
import { createProgressReader } from './progress.js';

export const MASTER_PLAYLIST = 'master.m3u8';
/** Each rung lives in `<outDir>/<rung name>/index.m3u8`, e.g. `240p/` and `audio/`. */
export const RUNG_PLAYLIST = 'index.m3u8';

/** x264 presets; tests pass 'ultrafast', production keeps the default. */
export type X264Preset = 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium' | 'slow' | 'slower';

export interface LadderCommandInput {
  input: string;
  /** `summary.demuxer` from probeUpload: forces `-f` so ffmpeg cannot re-sniff the upload. */
  inputDemuxer?: string;
  outDir: string;
  plan: LadderPlan;
  /** Absolute stream indices from probeUpload (skips cover art and extra tracks). */
  videoStreamIndex?: number;
  audioStreamIndex?: number;
  encoderPreset?: X264Preset;
}

/** One ffmpeg process: decode once, split and scale to every rung, package as HLS fMP4. */
export function buildLadderCommand(options: LadderCommandInput): string[] {
  const { plan } = options;
  const video = orderForMaster(plan);
  const audioOutputs = video.filter((rung) => rung.audioKbps !== null).length + (plan.audio ? 1 : 0);
  const graph = [
    ...(video.length ? [videoGraph(video, options.videoStreamIndex)] : []),
    ...(audioOutputs ? [audioGraph(audioOutputs, options.audioStreamIndex)] : []),
  ].join(';');

  const maps: string[] = [];
  const streamOptions: string[] = [];
  const variants: string[] = [];
  let audioIndex = 0;
  video.forEach((rung, videoIndex) => {
    maps.push('-map', `[v${videoIndex}]`);
    streamOptions.push(...videoRungOptions(rung, videoIndex));
    let variant = `v:${videoIndex}`;
    if (rung.audioKbps !== null) {
      maps.push('-map', `[a${audioIndex}]`);
      streamOptions.push(`-b:a:${audioIndex}`, `${rung.audioKbps}k`);
      variant += `,a:${audioIndex}`;
      audioIndex++;
    }
    variants.push(`${variant},name:${rung.name}`);
  });
  if (plan.audio) {
    maps.push('-map', `[a${audioIndex}]`);
    streamOptions.push(`-b:a:${audioIndex}`, `${plan.audio.audioKbps}k`);
    variants.push(`a:${audioIndex},name:${plan.audio.name}`);
  }

  const outDir = resolve(options.outDir);
  return [
    ...FFMPEG_GLOBAL_ARGS,
    '-progress', 'pipe:1', '-nostats',
    ...safeInputArgs(options.input, options.inputDemuxer),
    '-filter_complex', graph,
    ...maps,
    ...(video.length ? x264Options(plan.segmentSeconds, options.encoderPreset ?? 'medium') : []),
    ...streamOptions,
    ...(audioOutputs ? ['-c:a', 'aac'] : []),
    // Phone uploads carry GPS position and device names; students need none of it.
    '-map_metadata', '-1', '-map_chapters', '-1',
    '-f', 'hls',
    '-hls_time', String(plan.segmentSeconds),
    '-hls_playlist_type', 'vod',
    '-hls_segment_type', 'fmp4',
    '-hls_flags', 'independent_segments',
    '-hls_fmp4_init_filename', 'init.mp4',
    '-hls_segment_filename', join(outDir, '%v', 'seg_%05d.m4s'),
    '-master_pl_name', MASTER_PLAYLIST,
    '-var_stream_map', variants.join(' '),
    ...safeOutputArgs(join(outDir, '%v', RUNG_PLAYLIST)),
  ];
}

/** Start rung first (players begin with the first variant), then the rest highest first. */
function orderForMaster(plan: LadderPlan): VideoRung[] {
  const start = plan.video.filter((rung) => rung.name === plan.startRungName);
  return [...start, ...plan.video.filter((rung) => rung.name !== plan.startRungName)];
}

function videoGraph(rungs: VideoRung[], streamIndex: number | undefined): string {
  const source = streamIndex === undefined ? '0:v:0' : `0:${streamIndex}`;
  const branches = rungs.map((_, i) => `[vs${i}]`).join('');
  // fps before scale so dropped frames are never scaled; lanczos keeps slide text crisp.
  const chains = rungs.map((rung, i) =>
    `[vs${i}]fps=${rung.fps},scale=w=${rung.width}:h=${rung.height}:flags=lanczos,setsar=1,format=yuv420p[v${i}]`);
  return [`[${source}]split=${rungs.length}${branches}`, ...chains].join(';');
}

function audioGraph(outputs: number, streamIndex: number | undefined): string {
  const source = streamIndex === undefined ? '0:a:0' : `0:${streamIndex}`;
  const branches = Array.from({ length: outputs }, (_, i) => `[a${i}]`).join('');
  // Same rate and layout on every rung so a player switching rungs never reconfigures audio.
  return `[${source}]aformat=sample_fmts=fltp:sample_rates=${AUDIO_SAMPLE_RATE}:channel_layouts=mono,asplit=${outputs}${branches}`;
}

function x264Options(segmentSeconds: number, preset: X264Preset): string[] {
  return [
    '-c:v', 'libx264',
    '-preset:v', preset,
    // stillimage: stronger psy-rd/AQ and lighter deblocking keep slide text sharp.
    '-tune:v', 'stillimage',
    '-profile:v', 'high',
    // An IDR frame exactly at every segment boundary on every rung, and no others, so
    // segments are independently decodable and switchable at the same instants.
    '-force_key_frames:v', `expr:gte(t,n_forced*${segmentSeconds})`,
    '-forced-idr:v', '1',
    '-sc_threshold:v', '0',
  ];
}

function videoRungOptions(rung: VideoRung, index: number): string[] {
  return [
    `-crf:v:${index}`, String(rung.crf),
    `-maxrate:v:${index}`, `${rung.videoMaxKbps}k`,
    `-bufsize:v:${index}`, `${rung.bufsizeKbits}k`,
    `-g:v:${index}`, String(rung.gopFrames),
  ];
}

export interface TranscodeLadderOptions extends LadderCommandInput {
  /** Drives the percentage; null when unknown. */
  durationSeconds: number | null;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: TranscodeProgress) => void;
  logger?: MediaLogger;
  ffmpegBin?: string;
}

/**
 * Transcodes into a hidden sibling folder and renames it into place only on success, so
 * outDir always holds either the previous complete ladder or the new complete one; a
 * failed, timed-out or aborted run leaves nothing behind. Re-running replaces outDir.
 */
export async function transcodeLadder(options: TranscodeLadderOptions): Promise<{ outDir: string; masterPlaylistPath: string }> {
  const outDir = resolve(options.outDir);
  const parent = dirname(outDir);
  await mkdir(parent, { recursive: true });
  const workDir = await mkdtemp(join(parent, `.${basename(outDir)}.partial-`));
  try {
    // mkdtemp creates 0700; the web server serving the ladder may run as another user.
    await chmod(workDir, 0o755);
    let reachedSeconds: number | null = null;
    const progress = createProgressReader({
      durationSeconds: options.durationSeconds,
      onProgress: (update) => {
        reachedSeconds = update.outTimeSeconds ?? reachedSeconds;
        options.onProgress?.(update);
      },
    });
    await runFfmpegTool({
      bin: options.ffmpegBin ?? 'ffmpeg',
      args: buildLadderCommand({ ...options, outDir: workDir }),
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      onStdout: progress.push,
      logger: options.logger,
    });
    progress.end();
    assertWholeInputCovered(reachedSeconds, options.durationSeconds);
    await replaceDirectory(workDir, outDir);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  return { outDir, masterPlaylistPath: join(outDir, MASTER_PLAYLIST) };
}

/**
 * ffmpeg exits 0 on an upload cut short whose index is intact (a faststart MP4): it logs
 * "partial file" and stops early. Publishing that would silently lose the lecture's end.
 */
function assertWholeInputCovered(reachedSeconds: number | null, durationSeconds: number | null): void {
  if (reachedSeconds === null || durationSeconds === null) return;
  if (durationSeconds - reachedSeconds > Math.max(2, durationSeconds * 0.05)) {
    throw new Error(`Transcoding stopped at ${reachedSeconds.toFixed(1)} s of ${durationSeconds.toFixed(1)} s: the upload is probably truncated; ask for it to be uploaded again`);
  }
}

async function replaceDirectory(fresh: string, target: string): Promise<void> {
  const previous = `${fresh}.previous`;
  const hadPrevious = await stat(target).then(() => true, () => false);
  if (hadPrevious) await rename(target, previous);
  try {
    await rename(fresh, target);
  } catch (error) {
    if (hadPrevious) await rename(previous, target);
    throw error;
  }
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}
