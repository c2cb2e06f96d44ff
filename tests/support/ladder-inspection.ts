import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseMediaPlaylist } from '../../media/chunk-join.js';
import { readFragmentTimes, readTrackTimescales } from '../../media/fmp4-timeline.js';

/** Reading a published ladder the way a player would, with ffprobe/ffmpeg rather than our own parsers. */

export type ProbedFrame = { pts: number; key: boolean };

export function ffprobeFrames(file: string, stream: 'v:0' | 'a:0'): ProbedFrame[] {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', stream, '-show_entries', 'frame=key_frame,pts_time', '-of', 'json', file], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (probe.status !== 0) throw new Error(`ffprobe ${file}: ${probe.stderr}`);
  const { frames } = JSON.parse(probe.stdout) as { frames: { key_frame: number; pts_time: string }[] };
  return frames.map((f) => ({ key: f.key_frame === 1, pts: Number(f.pts_time) }));
}

/** What a player would notice in a rung's video: frames missing, gaps, steps backwards. */
export function timelineFaults(frames: readonly ProbedFrame[], fps: number, seconds: number): string[] {
  const faults: string[] = [];
  if (frames.length !== Math.round(seconds * fps)) faults.push(`${frames.length} frames instead of ${Math.round(seconds * fps)}`);
  frames.slice(1).forEach((f, i) => {
    const step = f.pts - frames[i]!.pts;
    if (step < 0.5 / fps || step > 1.5 / fps) faults.push(`${step.toFixed(3)} s step at ${frames[i]!.pts.toFixed(3)} s`);
  });
  return faults;
}

/** Keyframe times relative to the first frame (every rung is shifted alike by the AAC priming delay). */
export function keyframeTimes(frames: readonly ProbedFrame[]): string[] {
  const first = frames[0]?.pts ?? 0;
  return frames.filter((f) => f.key).map((f) => (f.pts - first).toFixed(2));
}

/** The rung as one MP4 file, init then every segment the playlist lists, written to `outFile`. */
export async function concatenateRung(ladder: string, rung: string, outFile: string): Promise<string> {
  const playlist = parseMediaPlaylist(await readFile(join(ladder, rung, 'index.m3u8'), 'utf8'));
  const parts = [await readFile(join(ladder, rung, playlist.initUri)), ...(await Promise.all(playlist.segments.map((s) => readFile(join(ladder, rung, s.uri)))))];
  await writeFile(outFile, Buffer.concat(parts));
  return outFile;
}

export async function playlistDurations(ladder: string, rung: string): Promise<number[]> {
  return parseMediaPlaylist(await readFile(join(ladder, rung, 'index.m3u8'), 'utf8')).segments.map((s) => s.durationSeconds);
}

/** Decodes the first video and audio stream through master.m3u8 (ffmpeg's HLS demuxer); '' when clean. */
export function decodeThroughMaster(ladder: string): { status: number | null; stderr: string } {
  const args = ['-v', 'error', '-i', join(ladder, 'master.m3u8'), '-map', '0:v:0?', '-map', '0:a:0?', '-f', 'null', '-'];
  const run = spawnSync('ffmpeg', args, { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

/**
 * Where each listed segment's fragments start (their tfdt, every track) against where the
 * playlist's durations before it put them: a segment shifted by the wrong amount, listed
 * out of order or twice shows up here. `from` skips segments already checked.
 */
export async function segmentStartFaults(playlist: string, read: (uri: string) => Promise<Buffer>, from = 0, toleranceSeconds = 0.1): Promise<string[]> {
  const { initUri, segments } = parseMediaPlaylist(playlist);
  const timescales = readTrackTimescales(await read(initUri));
  const faults: string[] = [];
  let expected = segments.slice(0, from).reduce((sum, s) => sum + s.durationSeconds, 0);
  for (const segment of segments.slice(from)) {
    for (const { trackId, baseDecodeTime } of readFragmentTimes(await read(segment.uri))) {
      const start = Number(baseDecodeTime) / timescales.get(trackId)!;
      if (Math.abs(start - expected) > toleranceSeconds) faults.push(`${segment.uri} track ${trackId} starts at ${start.toFixed(3)} s, listed at ${expected.toFixed(3)} s`);
    }
    expected += segment.durationSeconds;
  }
  return faults;
}
