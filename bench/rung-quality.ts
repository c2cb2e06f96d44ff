import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpegTool } from '../media/ffmpeg-safety.js';
import { MASTER_PLAYLIST, RUNG_PLAYLIST } from '../media/hls.js';
import type { LadderPlan, VideoRung } from '../media/ladder.js';
import type { RungFigures } from './targets.js';

export interface RungBitrate {
  /** Video + muxed audio: what a student downloads per second of lecture. */
  averageKbps: number;
  /** The most expensive full-length segment: what BANDWIDTH must cover (RFC 8216 4.3.4.2). */
  peakSegmentKbps: number;
  segments: number;
}

/** Reads the rung's playlist and sums the bytes of its media segments (the init segment is fetched once). */
export async function measureRungBitrate(rungDir: string, segmentSeconds: number): Promise<RungBitrate> {
  const entries = await playlistEntries(rungDir);
  let bytes = 0;
  let seconds = 0;
  let peak = 0;
  for (const { file, duration } of entries) {
    const size = (await stat(join(rungDir, file))).size;
    bytes += size;
    seconds += duration;
    // A short final segment is not a 4 s segment; its keyframe alone would inflate the peak.
    if (duration >= segmentSeconds - 0.1) peak = Math.max(peak, (size * 8) / duration / 1000);
  }
  return { averageKbps: round1((bytes * 8) / seconds / 1000), peakSegmentKbps: round1(peak), segments: entries.length };
}

async function playlistEntries(rungDir: string): Promise<{ file: string; duration: number }[]> {
  const lines = (await readFile(join(rungDir, RUNG_PLAYLIST), 'utf8')).split('\n');
  const entries: { file: string; duration: number }[] = [];
  lines.forEach((line, i) => {
    const match = line.match(/^#EXTINF:([\d.]+),/);
    if (match) entries.push({ duration: Number(match[1]), file: lines[i + 1]!.trim() });
  });
  return entries;
}

/** Joins the init segment and every media segment into one fMP4 file that ffmpeg can read. */
export async function joinRung(rungDir: string, outPath: string): Promise<string> {
  const files = await readdir(rungDir);
  const init = files.find((file) => file.startsWith('init'));
  if (!init) throw new Error(`No init segment in ${rungDir}`);
  const parts = [await readFile(join(rungDir, init))];
  for (const { file } of await playlistEntries(rungDir)) parts.push(await readFile(join(rungDir, file)));
  await writeFile(outPath, Buffer.concat(parts));
  return outPath;
}

export interface RungSsim {
  /** ffmpeg's weighted Y/U/V figure. */
  all: number;
  /** Luma only: where slide text lives. */
  y: number;
}

/**
 * SSIM of every rung against the source reduced the way the ladder reduces it (same frame
 * rate, same lanczos scaling), in one ffmpeg run so the 1080p source is decoded once.
 * Both sides start at zero so the AAC priming offset in the fMP4 timeline does not shift frames.
 */
export async function measureSsim(source: string, rungs: { rung: VideoRung; file: string }[]): Promise<Map<string, RungSsim>> {
  const inputs = [source, ...rungs.map((r) => r.file)].flatMap((file) => ['-i', file]);
  // One time base on both sides: the ssim filter pairs frames by timestamp.
  const split = `[0:v]setpts=PTS-STARTPTS,split=${rungs.length}${rungs.map((_, i) => `[s${i}]`).join('')}`;
  const chains = rungs.map(({ rung }, i) =>
    `[s${i}]fps=${rung.fps},scale=${rung.width}:${rung.height}:flags=lanczos,format=yuv420p,settb=AVTB[ref${i}];` +
    `[${i + 1}:v]setpts=PTS-STARTPTS,format=yuv420p,settb=AVTB[enc${i}];[enc${i}][ref${i}]ssim@rung${i}`);
  const lines: string[] = [];
  await runFfmpegTool({
    bin: 'ffmpeg',
    args: ['-hide_banner', '-nostdin', '-loglevel', 'info', ...inputs, '-filter_complex', [split, ...chains].join(';'), '-f', 'null', '-'],
    timeoutMs: 3_600_000,
    // The summaries come last, but keep every line rather than rely on the 30-line error tail.
    onStderrLine: (line) => lines.push(line),
  });
  const scores = new Map<string, RungSsim>();
  rungs.forEach(({ rung }, i) => {
    const line = lines.find((l) => l.includes(`[ssim@rung${i} @`) && l.includes('SSIM Y:'));
    const y = line?.match(/ Y:([\d.]+)/);
    const all = line?.match(/All:([\d.]+)/);
    if (!y || !all) throw new Error(`No SSIM summary for ${rung.name}`);
    scores.set(rung.name, { all: Number(all[1]), y: Number(y[1]) });
  });
  return scores;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Bitrate, declared BANDWIDTH and SSIM of every video rung of a finished ladder. */
export async function measureLadder(ladderDir: string, plan: LadderPlan, sourcePath: string, scratchDir: string): Promise<RungFigures[]> {
  const master = await readFile(join(ladderDir, MASTER_PLAYLIST), 'utf8');
  const joined = await Promise.all(plan.video.map(async (rung) => ({ rung, file: await joinRung(join(ladderDir, rung.name), join(scratchDir, `${rung.name}.mp4`)) })));
  const ssim = await measureSsim(sourcePath, joined);
  const figures: RungFigures[] = [];
  for (const rung of plan.video) {
    const bitrate = await measureRungBitrate(join(ladderDir, rung.name), plan.segmentSeconds);
    const score = ssim.get(rung.name)!;
    figures.push({
      name: rung.name, averageKbps: bitrate.averageKbps, peakSegmentKbps: bitrate.peakSegmentKbps,
      declaredKbps: declaredBandwidthKbps(master, rung.name), ssim: round4(score.all), ssimY: round4(score.y),
    });
  }
  return figures;
}

function declaredBandwidthKbps(master: string, rungName: string): number | null {
  const lines = master.split('\n');
  const at = lines.findIndex((line) => line.trim() === `${rungName}/${RUNG_PLAYLIST}`);
  const bandwidth = lines[at - 1]?.match(/BANDWIDTH=(\d+)/);
  return bandwidth ? Number(bandwidth[1]) / 1000 : null;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
