/**
 * npm run bench:instructions [-- --seconds 4] [-- --source lecture.mp4]
 *     [-- --variant 'NAME|x264|KEY=VALUE'] [-- --variant 'NAME|graph|FROM=>TO']
 *
 * Counts the instructions the ladder's ffmpeg command executes, under valgrind's
 * callgrind, for the worker's command as it is (the baseline) and for each variant, in
 * this run, on the first seconds of the bench lecture. On this VM the cores' speed
 * changes from minute to minute: the same command pinned to each core at the same moment
 * differed by up to 12 % in CPU time, so effects under about 10 % cannot be seen in
 * seconds. The total instruction count repeats (13.72 G for the current settings in four
 * runs) whatever the host's load; its split between libraries moves by a few per cent.
 * They are not time: valgrind hides AVX-512, so x264 and zimg run their AVX2 code, and a
 * memory-bound instruction costs more than an arithmetic one. Use them to rank options,
 * then confirm with bench:transcode.
 *
 * A variant either appends to -x264-params (`bf0|x264|bframes=0`) or rewrites the filter
 * graph (`bilinear|graph|filter=spline16=>filter=bilinear`). Audio is encoded once before
 * the ladder and copied, as the worker does, so only the video path is counted.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { hasFilter } from '../media/ffmpeg-features.js';
import { DEFAULT_ENCODER_PRESET } from '../media/hls.js';
import { audioBitrates, buildAudioCommand, buildLadderCommand } from '../media/ladder-command.js';
import { planLadder } from '../media/ladder.js';
import { inPool } from '../app/features/in-pool.js';
import { prepareSource } from './lecture-source.js';
import { runFfmpeg } from './ladder-baselines.js';
import { measureRungBitrate } from './rung-quality.js';

const run = promisify(execFile);

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    source: { type: 'string' },
    variant: { type: 'string', multiple: true, default: [] },
  },
});
const seconds = Number(args.seconds);
if (!(seconds >= 1 && seconds <= 60)) throw new Error('--seconds must be between 1 and 60 (callgrind runs about 40x slower than the CPU)');

interface Variant { name: string; rewrite: (command: string[]) => string[] }

function parseVariant(text: string): Variant {
  const [name, kind, spec] = text.split('|');
  if (!name || !spec || (kind !== 'x264' && kind !== 'graph')) {
    throw new Error(`--variant '${text}': expected 'NAME|x264|KEY=VALUE' or 'NAME|graph|FROM=>TO'`);
  }
  if (kind === 'x264') {
    return { name, rewrite: (command) => rewriteAfter(command, '-x264-params:v', (params) => `${params}:${spec}`) };
  }
  const [from, to] = spec.split('=>');
  if (!from || to === undefined) throw new Error(`--variant '${text}': a graph rewrite is FROM=>TO`);
  return {
    name,
    rewrite: (command) => rewriteAfter(command, '-filter_complex', (graph) => {
      if (!graph.includes(from)) throw new Error(`--variant '${text}': the filter graph has no '${from}': ${graph}`);
      return graph.split(from).join(to);
    }),
  };
}

function rewriteAfter(command: string[], option: string, change: (value: string) => string): string[] {
  const at = command.indexOf(option);
  if (at < 0 || at + 1 >= command.length) throw new Error(`The ladder command has no ${option}`);
  return command.map((arg, i) => (i === at + 1 ? change(arg) : arg));
}

const variants: Variant[] = [{ name: 'current', rewrite: (command) => command }, ...args.variant.map(parseVariant)];
await requireValgrind();

const source = await prepareSource({ seconds: 120, sourcePath: args.source });
const { video } = source.summary;
if (!video) throw new Error('The benchmark needs a source with video');
const plan = planLadder({ width: video.width, height: video.height, fps: video.fps, hasVideo: true, hasAudio: Boolean(source.summary.audio) });
const scaler = (await hasFilter('ffmpeg', 'zscale')) ? 'zscale' : 'swscale';
const clip = { startSeconds: 0, durationSeconds: seconds };
const work = await mkdtemp(join(tmpdir(), 'bench-instructions-'));
console.log(`bench:instructions: ${seconds} s of ${source.path}, ${variants.length} commands under callgrind, two at a time`);

try {
  const encodedAudio = new Map(audioBitrates(plan).map((kbps) => [kbps, join(work, `audio-${kbps}.mp4`)]));
  if (encodedAudio.size) {
    await runFfmpeg(buildAudioCommand({ input: source.path, inputDemuxer: 'mov', clip, outputs: encodedAudio }));
  }
  const results: { name: string; byLibrary: Record<string, number>; rungKbps: Record<string, number> }[] = [];
  await inPool(variants, 2, async (variant) => {
    const outDir = join(work, variant.name);
    await mkdir(outDir);
    const command = variant.rewrite(buildLadderCommand({
      input: source.path, inputDemuxer: 'mov', outDir, plan, clip, encodedAudio: encodedAudio.size ? encodedAudio : undefined,
      encoderPreset: DEFAULT_ENCODER_PRESET, scaler,
    })).filter((arg, i, all) => !(arg === '-progress' || all[i - 1] === '-progress'));
    const profile = join(work, `${variant.name}.callgrind`);
    const started = performance.now();
    await run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${profile}`, 'ffmpeg', ...command], { maxBuffer: 64 * 1024 * 1024 });
    const byLibrary = await instructionsByLibrary(profile);
    const rungKbps = await rungBitrates(outDir, plan.segmentSeconds);
    console.log(`${variant.name}: ${gigas(sum(byLibrary))} G instructions (${Math.round((performance.now() - started) / 1000)} s under callgrind)`);
    results[variants.indexOf(variant)] = { name: variant.name, byLibrary, rungKbps };
  });

  const base = sum(results[0]!.byLibrary);
  const figures = results.map(({ name, byLibrary, rungKbps }) => ({
    name,
    gigaInstructions: gigas(sum(byLibrary)),
    ofCurrent: Math.round((sum(byLibrary) / base) * 1000) / 1000,
    byPart: Object.fromEntries(Object.entries(groupLibraries(byLibrary)).map(([part, n]) => [part, gigas(n)])),
    rungKbps,
  }));
  for (const f of figures) {
    console.log(`${f.name.padEnd(16)} ${String(f.gigaInstructions).padStart(8)} G  x${f.ofCurrent.toFixed(3)}  ${JSON.stringify(f.byPart)}  kbit/s ${JSON.stringify(f.rungKbps)}`);
  }
  console.log(JSON.stringify({ bench: 'instructions', seconds, source: source.path, scaler, preset: DEFAULT_ENCODER_PRESET, baseline: 'current', variants: figures }));
} finally {
  await rm(work, { recursive: true, force: true });
}

async function requireValgrind(): Promise<void> {
  try {
    await run('valgrind', ['--version']);
  } catch {
    throw new Error('bench:instructions needs valgrind (Debian: apt-get install valgrind)');
  }
}

/** callgrind_annotate's per-function lines end in `[/path/to/libx264.so.164]`; summed per library. */
async function instructionsByLibrary(profile: string): Promise<Record<string, number>> {
  const { stdout } = await run('callgrind_annotate', ['--threshold=100', '--auto=no', profile], { maxBuffer: 256 * 1024 * 1024 });
  const totals: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    const match = line.match(/^\s*([\d,]+) \([^)]*\)\s+(.*)$/);
    if (!match || match[2]!.includes('PROGRAM TOTALS')) continue;
    const library = match[2]!.match(/\[([^\]]+)\]\s*$/)?.[1]?.split('/').pop() ?? 'unknown';
    totals[library] = (totals[library] ?? 0) + Number(match[1]!.replaceAll(',', ''));
  }
  return totals;
}

function groupLibraries(byLibrary: Record<string, number>): Record<string, number> {
  const parts: Record<string, number> = { x264: 0, scaling: 0, decoding: 0, other: 0 };
  for (const [library, n] of Object.entries(byLibrary)) {
    const part = library.startsWith('libx264') ? 'x264'
      : library.startsWith('libzimg') || library.startsWith('libswscale') ? 'scaling'
      : library.startsWith('libavcodec') ? 'decoding'
      : 'other';
    parts[part]! += n;
  }
  return parts;
}

/** Video + copied audio per rung, as bench:transcode measures it (measureRungBitrate). */
async function rungBitrates(outDir: string, segmentSeconds: number): Promise<Record<string, number>> {
  const rungs = (await readdir(outDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const rates = await Promise.all(rungs.map(async (rung) => [rung, (await measureRungBitrate(join(outDir, rung), segmentSeconds)).averageKbps] as const));
  return Object.fromEntries(rates);
}

function sum(byLibrary: Record<string, number>): number {
  return Object.values(byLibrary).reduce((a, b) => a + b, 0);
}

function gigas(n: number): number {
  return Math.round(n / 1e7) / 100;
}
