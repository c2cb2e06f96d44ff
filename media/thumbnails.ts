import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { formatVttTimestamp } from './captions.js';
import type { MediaLogger } from './ffmpeg-safety.js';
import { FFMPEG_GLOBAL_ARGS, runFfmpegTool, safeInputArgs, safeOutputArgs } from './ffmpeg-safety.js';

export interface StillRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** `summary.demuxer` from probeUpload. */
  inputDemuxer?: string;
  logger?: MediaLogger;
  ffmpegBin?: string;
}

// Small enough to load quickly on a 100 kbit/s link (about 20-40 KB as JPEG).
const POSTER_BOX = { width: 640, height: 360 };
// Lectures open on a title slide; a few seconds in it is on screen and fully faded in.
const DEFAULT_POSTER_SECONDS = 5;

export async function renderPoster(
  input: string,
  out: string,
  options: StillRunOptions & { atSeconds?: number; durationSeconds?: number | null },
): Promise<void> {
  const at = options.atSeconds ?? Math.min(DEFAULT_POSTER_SECONDS, (options.durationSeconds ?? 0) / 2);
  const partial = `${resolve(out)}.partial`;
  await runStill(options, [
    '-ss', at.toFixed(3),
    ...safeInputArgs(input, options.inputDemuxer),
    '-map', '0:v:0', '-frames:v', '1',
    '-vf', `scale=w=${POSTER_BOX.width}:h=${POSTER_BOX.height}:force_original_aspect_ratio=decrease,setsar=1`,
    '-c:v', 'mjpeg', '-q:v', '4', '-f', 'image2', '-update', '1',
    ...safeOutputArgs(partial),
  ]);
  await requireFile(partial, `No frame at ${at}s to make a poster from`);
  await rename(partial, out);
}

/**
 * Seek-bar previews as WebVTT cues pointing into sprite sheets (`sheet.jpg#xywh=...`),
 * the format video.js, Plyr and Vidstack read. 5x5 sheets of 160x90: one request covers
 * 25 positions yet stays ~100 KB, so scrubbing on a slow link fetches little at a time.
 */
export const THUMBNAIL_TILE = { width: 160, height: 90, columns: 5, rows: 5 } as const;
export const THUMBNAIL_TRACK = 'thumbnails.vtt';

/**
 * How long the stills may take: the seek thumbnails decode the whole source (one frame in
 * ten seconds is kept, every one is decoded). A 60-minute 1080p lecture took over 120 s here
 * (bench:hour), so the time grows with the lecture: a quarter of a second per second of it
 * on top of two minutes (17 min for 4 h, the longest upload allowed).
 */
export function stillsTimeoutMs(durationSeconds: number | null): number {
  return 120_000 + Math.max(0, durationSeconds ?? 0) * 250;
}

export interface SeekThumbnails {
  vttPath: string;
  sheetPaths: string[];
  count: number;
}

export async function renderSeekThumbnails(
  input: string,
  outDir: string,
  options: StillRunOptions & { everySeconds: number; durationSeconds: number },
): Promise<SeekThumbnails> {
  const { everySeconds, durationSeconds } = options;
  if (!(everySeconds > 0 && durationSeconds > 0)) throw new Error('everySeconds and durationSeconds must be positive');
  const { width, height, columns, rows } = THUMBNAIL_TILE;
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  // A longer earlier version of the video may have left more sheets behind.
  await Promise.all((await listSheets(dir)).map((path) => rm(path, { force: true })));
  await runStill(options, [
    ...safeInputArgs(input, options.inputDemuxer),
    '-map', '0:v:0',
    // Letterboxed to a fixed tile so the track's xywh maths never depends on the aspect ratio.
    '-vf', [
      `fps=1/${everySeconds}`,
      `scale=w=${width}:h=${height}:force_original_aspect_ratio=decrease`,
      `pad=w=${width}:h=${height}:x=(ow-iw)/2:y=(oh-ih)/2`,
      'setsar=1',
      `tile=${columns}x${rows}`,
    ].join(','),
    '-c:v', 'mjpeg', '-q:v', '6', '-f', 'image2', '-start_number', '1',
    ...safeOutputArgs(join(dir, 'sheet-%04d.jpg')),
  ]);
  // The fps filter may emit one frame fewer than duration/every at the very end; the track
  // only points at sheets that exist.
  const sheetPaths = await listSheets(dir);
  if (sheetPaths.length === 0) throw new Error('No thumbnail sheet was written');
  const count = Math.min(Math.ceil(durationSeconds / everySeconds), sheetPaths.length * columns * rows);
  const vttPath = join(dir, THUMBNAIL_TRACK);
  const partial = `${vttPath}.partial`;
  await writeFile(partial, buildThumbnailTrack({ count, everySeconds, durationSeconds }));
  await rename(partial, vttPath);
  return { vttPath, sheetPaths, count };
}

/** Pure: the WebVTT text, one cue per thumbnail, URLs relative to the track. */
export function buildThumbnailTrack(input: { count: number; everySeconds: number; durationSeconds: number }): string {
  const { width, height, columns, rows } = THUMBNAIL_TILE;
  const perSheet = columns * rows;
  const cues = Array.from({ length: input.count }, (_, i) => {
    const start = i * input.everySeconds;
    const end = Math.min((i + 1) * input.everySeconds, input.durationSeconds);
    const cell = i % perSheet;
    const x = (cell % columns) * width;
    const y = Math.floor(cell / columns) * height;
    return `${formatVttTimestamp(start)} --> ${formatVttTimestamp(end)}\n${sheetName(Math.floor(i / perSheet))}#xywh=${x},${y},${width},${height}`;
  });
  return ['WEBVTT', ...cues].join('\n\n') + '\n';
}

async function listSheets(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((name) => /^sheet-\d{4}\.jpg$/.test(name)).sort().map((name) => join(dir, name));
}

function sheetName(index: number): string {
  return `sheet-${String(index + 1).padStart(4, '0')}.jpg`;
}

async function runStill(options: StillRunOptions, args: string[]): Promise<void> {
  await runFfmpegTool({
    bin: options.ffmpegBin ?? 'ffmpeg',
    args: [...FFMPEG_GLOBAL_ARGS, '-y', ...args],
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    logger: options.logger,
  });
}

async function requireFile(path: string, message: string): Promise<void> {
  const size = await stat(path).then((s) => s.size, () => 0);
  if (size === 0) {
    await rm(path, { force: true });
    throw new Error(message);
  }
}
