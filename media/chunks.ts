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
 * second) stay under 1 % of its encode.
 */
export const DEFAULT_CHUNK_SETTINGS: ChunkSettings = { chunkedFromSeconds: 600, chunkSeconds: 300 };

/** A last chunk shorter than this share of a chunk joins the one before instead. */
const SMALLEST_LAST_CHUNK_SHARE = 0.25;

export function planChunks(durationSeconds: number | null, segmentSeconds: number, settings: ChunkSettings): TranscodeChunk[] {
  if (!(segmentSeconds > 0)) throw new Error('segmentSeconds must be positive');
  const whole: TranscodeChunk[] = [{ index: 0, startSeconds: 0, durationSeconds: null, expectedSeconds: durationSeconds ?? 0 }];
  if (durationSeconds === null || !(durationSeconds > settings.chunkedFromSeconds)) return whole;
  const chunkSeconds = Math.max(1, Math.floor(settings.chunkSeconds / segmentSeconds)) * segmentSeconds;
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
