// Chunks of the teacher's WebM stream arrive numbered 0, 1, 2… at any web process, in any
// order (a retried POST lands after its successor). The packager feeds them to ffmpeg in
// order; these decisions are pure so they are tested on synthetic timelines.

/** A missing chunk is waited for this long before the packager skips it (its browser retries for ~2 s). */
export const CHUNK_GAP_TIMEOUT_MS = 3_000;
/** After "stop", chunks still on their way (the recorder's last ones) are waited for this long. */
export const STOP_GRACE_MS = 10_000;
/** A broadcast whose browser went silent this long (tab closed, laptop asleep) is ended. */
export const SILENCE_TIMEOUT_MS = 60_000;

export type ChunkQueue = {
  /** The chunk ffmpeg needs next. */
  next: number;
  /** Chunks stored and not yet consumed. */
  pending: readonly number[];
  /** When the packager first saw `next` missing while later chunks were there. */
  gapSince: number | null;
  /** When a chunk last arrived (or the broadcast started). */
  lastArrivalAt: number;
  /** Set once the teacher stopped: when, and the last chunk the browser said it sent. */
  stop: { at: number; lastChunk: number | null } | null;
  now: number;
};

export type ChunkStep = { kind: 'take'; seq: number } | { kind: 'wait'; gap: boolean } | { kind: 'skip'; to: number } | { kind: 'finish'; reason: 'stopped' | 'silent' };

export function nextChunkStep(q: ChunkQueue): ChunkStep {
  if (q.pending.includes(q.next)) return { kind: 'take', seq: q.next };
  const later = q.pending.filter((s) => s > q.next);
  if (later.length > 0) {
    const first = Math.min(...later);
    const waitedOut = q.gapSince !== null && q.now - q.gapSince >= CHUNK_GAP_TIMEOUT_MS;
    const stoppedAndLate = q.stop !== null && q.now - q.stop.at >= STOP_GRACE_MS;
    return waitedOut || stoppedAndLate ? { kind: 'skip', to: first } : { kind: 'wait', gap: true };
  }
  if (q.stop) {
    const allIn = q.stop.lastChunk !== null && q.next > q.stop.lastChunk;
    if (allIn || q.now - q.stop.at >= STOP_GRACE_MS) return { kind: 'finish', reason: 'stopped' };
    return { kind: 'wait', gap: false };
  }
  if (q.now - q.lastArrivalAt >= SILENCE_TIMEOUT_MS) return { kind: 'finish', reason: 'silent' };
  return { kind: 'wait', gap: false };
}

/** Chunk numbers are small non-negative integers: at 4 chunks/s a 4-hour lesson is 57,600. */
export const MAX_CHUNK_SEQ = 4 * 3600 * 4;
/** A 500 ms chunk of 240p VP8 + Opus is ~15 KB; anything near this is not a camera picture. */
export const MAX_CHUNK_BYTES = 256 * 1024;
