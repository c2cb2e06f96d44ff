import { mkdir, rename, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateLectureClip } from '../media/fixtures.js';
import type { MediaSummary } from '../media/probe.js';
import { probeUpload } from '../media/probe.js';

/** Git-ignored; generated sources are reused between runs because generating costs ~0.4x the lecture. */
export const BENCH_CACHE_DIR = resolve('.cache/bench');

// What a teacher's phone or a lecture-hall camera records: 1080p30 H.264 at about 8 Mbit/s.
export const SOURCE_LOOK = { width: 1920, height: 1080, fps: 30, videoKbps: 8000, slideSeconds: 20, grain: 8 } as const;
// Bump when lecture-scene.ts or SOURCE_LOOK changes so a cached source is not reused.
const SCENE_VERSION = 3;

export interface BenchSource {
  path: string;
  summary: MediaSummary;
  /** Null when the source came from the cache or from --source. */
  generatedInSeconds: number | null;
}

export async function prepareSource(options: { seconds: number; sourcePath?: string }): Promise<BenchSource> {
  let generatedInSeconds: number | null = null;
  let path = options.sourcePath ? resolve(options.sourcePath) : cachedSourcePath(options.seconds);
  if (!options.sourcePath && !(await exists(path))) {
    await mkdir(BENCH_CACHE_DIR, { recursive: true });
    const started = performance.now();
    const partial = `${path}.partial.mp4`;
    await generateLectureClip(partial, { seconds: options.seconds, ...SOURCE_LOOK, timeoutMs: options.seconds * 10_000 + 60_000 });
    await rename(partial, path);
    generatedInSeconds = Math.round((performance.now() - started) / 100) / 10;
  }
  const probe = await probeUpload(path, { timeoutMs: 60_000 });
  if (!probe.readable) throw new Error(`Benchmark source ${path} is not usable: ${probe.detail}`);
  path = resolve(path);
  return { path, summary: probe.summary, generatedInSeconds };
}

function cachedSourcePath(seconds: number): string {
  const { width, height, fps, videoKbps, slideSeconds, grain } = SOURCE_LOOK;
  return join(BENCH_CACHE_DIR, `lecture-${height}p${fps}-${seconds}s-${videoKbps}k-slides${slideSeconds}-grain${grain}-w${width}-v${SCENE_VERSION}.mp4`);
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
