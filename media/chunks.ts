/**
 * Splitting one long lecture into time chunks that several workers encode at once (see
 * docs/decisions/014-chunked-transcoding.md). Each chunk is a whole ladder of its own part
 * of the source; chunks start on segment boundaries, so every chunk's keyframes fall on
 * the lecture's segment grid and its segments join the others' into one playlist per rung.
 */
export interface ChunkSettings {
  /** Lectures longer than this are split; shorter ones keep the single-job path. */
  chunkedFromSeconds: number;
  /** Target length of a chunk, rounded down to whole segments. */
  chunkSeconds: number;
  /**
   * A lecture over the threshold is split into at least this many chunks (shorter ones
   * than chunkSeconds if need be), so that one worker running two transcodes at once
   * (VIDEO_CONCURRENCY) encodes a 2-minute lecture in two halves side by side.
   */
  minChunks?: number;
}

export interface TranscodeChunk {
  index: number;
  startSeconds: number;
  /** null: to the end of the source (the last chunk), so nothing the probe missed is lost. */
  durationSeconds: number | null;
  /** What the chunk should cover, for weighting progress. */
  expectedSeconds: number;
}

/**
 * Five minutes: a 60-minute lecture makes 12 jobs, enough to keep a handful of worker
 * nodes busy, while each chunk's fixed costs (seek, encoder start-up, one probe, about a
 * second) stay under 1 % of its encode. From 90 s on a lecture is split in at least two:
 * ffmpeg 5.1 feeds every encoder from one main thread, so one ladder process keeps about
 * 1.6 of 2 cores busy, and two halves encoded side by side finish sooner (bench:transcode,
 * docs/benchmarks.md).
 */
export const DEFAULT_CHUNK_SETTINGS: ChunkSettings = { chunkedFromSeconds: 90, chunkSeconds: 300, minChunks: 2 };

/** Transcodes (or chunks) one worker process runs at once: VIDEO_CONCURRENCY's default. */
export const DEFAULT_TRANSCODES_AT_ONCE = 2;

/** A last chunk shorter than this share of a chunk joins the one before instead. */
const SMALLEST_LAST_CHUNK_SHARE = 0.25;

export function planChunks(durationSeconds: number | null, segmentSeconds: number, settings: ChunkSettings): TranscodeChunk[] {
  if (!(segmentSeconds > 0)) throw new Error('segmentSeconds must be positive');
  const whole: TranscodeChunk[] = [{ index: 0, startSeconds: 0, durationSeconds: null, expectedSeconds: durationSeconds ?? 0 }];
  if (durationSeconds === null || !(durationSeconds > settings.chunkedFromSeconds)) return whole;
  const spread = (settings.minChunks ?? 1) > 1 ? Math.ceil(durationSeconds / settings.minChunks! / segmentSeconds) * segmentSeconds : Infinity;
  const chunkSeconds = Math.min(Math.max(1, Math.floor(settings.chunkSeconds / segmentSeconds)) * segmentSeconds, Math.max(segmentSeconds, spread));
  const starts: number[] = [];
  for (let start = 0; start < durationSeconds; start += chunkSeconds) starts.push(start);
  const tail = durationSeconds - starts.at(-1)!;
  if (starts.length > 1 && tail < chunkSeconds * SMALLEST_LAST_CHUNK_SHARE) starts.pop();
  if (starts.length === 1) return whole;
  return starts.map((startSeconds, index) => {
    const last = index === starts.length - 1;
    return {
      index,
      startSeconds,
      durationSeconds: last ? null : chunkSeconds,
      expectedSeconds: last ? durationSeconds - startSeconds : chunkSeconds,
    };
  });
}
