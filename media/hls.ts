import { chmod, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { markPlaylistsComplete, watchUntilPlayable } from './early-playback.js';
import { hasFilter } from './ffmpeg-features.js';
import type { MediaLogger } from './ffmpeg-safety.js';
import { runFfmpegTool } from './ffmpeg-safety.js';
import type { LadderCommandInput } from './ladder-command.js';
import { MASTER_PLAYLIST, audioBitrates, buildAudioCommand, buildLadderCommand } from './ladder-command.js';
import type { TranscodeProgress } from './progress.js';
import { createProgressReader } from './progress.js';

export { DEFAULT_ENCODER_PRESET, MASTER_PLAYLIST, RUNG_PLAYLIST, buildLadderCommand } from './ladder-command.js';
export type { LadderCommandInput, LadderScaler, X264Preset } from './ladder-command.js';

export interface TranscodeLadderOptions extends Omit<LadderCommandInput, 'playlistsWhileEncoding' | 'encodedAudio'> {
  /** Drives the percentage; null when unknown. */
  durationSeconds: number | null;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: TranscodeProgress) => void;
  /**
   * Called once, as soon as the ladder at outDir can be played. On a first transcode
   * (nothing at outDir yet) ffmpeg writes straight into outDir and this fires while it is
   * still encoding, when every rung lists its first segment (`whileEncoding: true`); a
   * failure then removes outDir. When outDir already holds a ladder, students keep that
   * one until the new one is complete, and this fires after the swap.
   */
  onPlayable?: (ladder: { masterPlaylistPath: string; whileEncoding: boolean }) => void;
  logger?: MediaLogger;
  ffmpegBin?: string;
}

export interface TranscodedLadder {
  outDir: string;
  masterPlaylistPath: string;
}

/**
 * Re-running replaces outDir. Without onPlayable, or when outDir exists, the work runs in
 * a hidden sibling folder renamed into place only on success, so outDir always holds the
 * previous complete ladder or the new complete one; a failed, timed-out or aborted run
 * leaves nothing behind.
 */
export async function transcodeLadder(options: TranscodeLadderOptions): Promise<TranscodedLadder> {
  const outDir = resolve(options.outDir);
  const masterPlaylistPath = join(outDir, MASTER_PLAYLIST);
  await mkdir(dirname(outDir), { recursive: true });
  const firstTranscode = !(await stat(outDir).then(() => true, () => false));
  let announced = false;
  const announce = (whileEncoding: boolean) => {
    if (announced) return;
    announced = true;
    options.onPlayable?.({ masterPlaylistPath, whileEncoding });
  };
  if (options.onPlayable && firstTranscode) await encodeInPlace(options, outDir, () => announce(true));
  else await encodeThenSwap(options, outDir);
  announce(false);
  return { outDir, masterPlaylistPath };
}

async function encodeInPlace(options: TranscodeLadderOptions, outDir: string, onPlayable: () => void): Promise<void> {
  // Not recursive: if another run created outDir meanwhile, fail rather than write into it.
  await mkdir(outDir, { mode: 0o755 });
  const rungs = [...options.plan.video.map((rung) => rung.name), ...(options.plan.audio ? [options.plan.audio.name] : [])];
  let callbackError: unknown = null;
  const watch = watchUntilPlayable({ dir: outDir, rungs, onPlayable, onError: (error) => { callbackError = error; } });
  try {
    await runLadderFfmpeg(options, outDir, true);
    watch.stop();
    // The caller's onPlayable failed (say, its database write): fail like any other error.
    if (callbackError) throw callbackError;
    await markPlaylistsComplete(outDir, rungs);
  } catch (error) {
    watch.stop();
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}

async function encodeThenSwap(options: TranscodeLadderOptions, outDir: string): Promise<void> {
  const workDir = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.partial-`));
  try {
    // mkdtemp creates 0700; the web server serving the ladder may run as another user.
    await chmod(workDir, 0o755);
    await runLadderFfmpeg(options, workDir, false);
    await replaceDirectory(workDir, outDir);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

async function runLadderFfmpeg(options: TranscodeLadderOptions, dir: string, playlistsWhileEncoding: boolean): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const bin = options.ffmpegBin ?? 'ffmpeg';
  const audio = await encodeAudioOnce(options, bin);
  try {
    await runVideoLadderFfmpeg({ ...options, timeoutMs: Math.max(1, deadline - Date.now()), encodedAudio: audio?.files }, bin, dir, playlistsWhileEncoding);
  } finally {
    if (audio) await rm(audio.dir, { recursive: true, force: true });
  }
}

/**
 * ffmpeg 5.1 runs every audio encoder on its single main thread, the thread that also
 * feeds the five video encoders and scalers (perf: 37 % of its samples in libavcodec, the
 * six AAC encodes). Encoding each distinct audio bitrate once beforehand, in a pass that
 * takes about 2 % of the lecture's duration, and copying it into the rungs saves 2-3 CPU-s
 * of 51 on the bench lecture (about 3 % of wall time) at the cost of a first segment about
 * 2 s later (figures in docs/benchmarks.md). Audio-only sources skip it: their single rung
 * encodes audio once anyway.
 */
async function encodeAudioOnce(options: TranscodeLadderOptions, bin: string): Promise<{ dir: string; files: Map<number, string> } | null> {
  const rates = audioBitrates(options.plan);
  if (!rates.length || !options.plan.video.length) return null;
  const outDir = resolve(options.outDir);
  // Named like the ladder's partial folders, so a crashed run's leftovers are swept alike.
  const dir = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.partial-audio-`));
  const files = new Map(rates.map((kbps) => [kbps, join(dir, `audio-${kbps}k.mp4`)]));
  try {
    await runFfmpegTool({ bin, args: buildAudioCommand({ ...options, outputs: files }), timeoutMs: options.timeoutMs, signal: options.signal, logger: options.logger });
    return { dir, files };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function runVideoLadderFfmpeg(options: TranscodeLadderOptions & Pick<LadderCommandInput, 'encodedAudio'>, bin: string, dir: string, playlistsWhileEncoding: boolean): Promise<void> {
  let reachedSeconds: number | null = null;
  const progress = createProgressReader({
    durationSeconds: options.durationSeconds,
    onProgress: (update) => {
      reachedSeconds = update.outTimeSeconds ?? reachedSeconds;
      options.onProgress?.(update);
    },
  });
  const scaler = options.scaler ?? ((await hasFilter(bin, 'zscale')) ? 'zscale' : 'swscale');
  await runFfmpegTool({
    bin,
    args: buildLadderCommand({ ...options, outDir: dir, playlistsWhileEncoding, scaler }),
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    onStdout: progress.push,
    logger: options.logger,
  });
  progress.end();
  assertWholeInputCovered(reachedSeconds, options.durationSeconds);
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

/** Swaps a finished folder into place, restoring the previous one if the rename fails. */
export async function replaceDirectory(fresh: string, target: string): Promise<void> {
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
