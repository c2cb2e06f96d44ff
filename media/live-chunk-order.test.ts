import { describe, expect, it } from 'vitest';
import { CHUNK_GAP_TIMEOUT_MS, nextChunkStep, SILENCE_TIMEOUT_MS, STOP_GRACE_MS, type ChunkQueue, type ChunkStep } from './live-chunk-order.js';

const base: ChunkQueue = { next: 0, pending: [], gapSince: null, lastArrivalAt: 0, stop: null, now: 0 };

/**
 * Replays a packager against a timeline of arrivals: at each tick the chunks that have
 * arrived by then are pending; returns the order ffmpeg was fed and any skipped ranges.
 */
function replay(arrivals: { seq: number; at: number }[], opts: { stopAt?: number; lastChunk?: number | null; until: number; tick?: number }) {
  const tick = opts.tick ?? 100;
  const fed: number[] = [];
  const skipped: number[] = [];
  let q: ChunkQueue = { ...base };
  let finished: ChunkStep | null = null;
  for (let now = 0; now <= opts.until && !finished; now += tick) {
    const arrived = arrivals.filter((a) => a.at <= now);
    const pending = arrived.map((a) => a.seq).filter((s) => s >= q.next && !fed.includes(s));
    const lastArrivalAt = Math.max(0, ...arrived.map((a) => a.at));
    const stop = opts.stopAt !== undefined && now >= opts.stopAt ? { at: opts.stopAt, lastChunk: opts.lastChunk ?? null } : null;
    q = { ...q, pending, lastArrivalAt, stop, now };
    for (let step = nextChunkStep(q); ; step = nextChunkStep(q)) {
      if (step.kind === 'take') {
        fed.push(step.seq);
        q = { ...q, next: step.seq + 1, gapSince: null, pending: q.pending.filter((s) => s !== step.seq) };
      } else if (step.kind === 'skip') {
        for (let s = q.next; s < step.to; s++) skipped.push(s);
        q = { ...q, next: step.to, gapSince: null };
      } else if (step.kind === 'wait') {
        if (step.gap && q.gapSince === null) q = { ...q, gapSince: now };
        break;
      } else {
        finished = step;
        break;
      }
    }
  }
  return { fed, skipped, finished };
}

describe('feeding the teacher’s chunks to ffmpeg in order', () => {
  it('takes chunks in order even when a retried one arrives after its successors', () => {
    const arrivals = [0, 1, 3, 4, 5].map((seq) => ({ seq, at: seq * 250 })).concat({ seq: 2, at: 1_600 });
    const { fed, skipped } = replay(arrivals, { until: 3_000 });
    expect(fed).toEqual([0, 1, 2, 3, 4, 5]);
    expect(skipped).toEqual([]);
  });

  it('skips a chunk that never comes, but only after waiting the gap timeout', () => {
    const arrivals = [0, 1, 3, 4].map((seq) => ({ seq, at: seq * 250 }));
    const early = replay(arrivals, { until: 750 + CHUNK_GAP_TIMEOUT_MS - 200 });
    expect(early.fed).toEqual([0, 1]);
    const later = replay(arrivals, { until: 750 + CHUNK_GAP_TIMEOUT_MS + 200 });
    expect(later.fed).toEqual([0, 1, 3, 4]);
    expect(later.skipped).toEqual([2]);
  });

  it('after stop, finishes as soon as the last announced chunk is in, and not before', () => {
    const arrivals = [0, 1, 2, 3].map((seq) => ({ seq, at: seq * 250 })).concat({ seq: 4, at: 2_000 });
    const waiting = replay(arrivals, { stopAt: 1_000, lastChunk: 4, until: 1_900 });
    expect(waiting.finished).toBeNull();
    const done = replay(arrivals, { stopAt: 1_000, lastChunk: 4, until: 2_500 });
    expect(done.fed).toEqual([0, 1, 2, 3, 4]);
    expect(done.finished).toEqual({ kind: 'finish', reason: 'stopped' });
  });

  it('after stop without a last chunk (the session ended), waits the grace period for stragglers', () => {
    const arrivals = [0, 1].map((seq) => ({ seq, at: seq * 250 }));
    expect(replay(arrivals, { stopAt: 500, lastChunk: null, until: 500 + STOP_GRACE_MS - 200 }).finished).toBeNull();
    expect(replay(arrivals, { stopAt: 500, lastChunk: null, until: 500 + STOP_GRACE_MS + 200 }).finished).toEqual({ kind: 'finish', reason: 'stopped' });
  });

  it('ends a broadcast whose browser went silent, and never while chunks keep coming', () => {
    const steady = Array.from({ length: 400 }, (_, seq) => ({ seq, at: seq * 250 }));
    expect(replay(steady, { until: 99_000, tick: 250 }).finished).toBeNull();
    const silent = [0, 1].map((seq) => ({ seq, at: seq * 250 }));
    expect(replay(silent, { until: 250 + SILENCE_TIMEOUT_MS + 500, tick: 500 }).finished).toEqual({ kind: 'finish', reason: 'silent' });
  });

  it('a missing chunk after stop does not hold the recording back past the grace period', () => {
    const arrivals = [0, 1, 3].map((seq) => ({ seq, at: seq * 250 }));
    const { fed, skipped, finished } = replay(arrivals, { stopAt: 1_000, lastChunk: 3, until: 1_000 + STOP_GRACE_MS + 500 });
    expect(fed).toEqual([0, 1, 3]);
    expect(skipped).toEqual([2]);
    expect(finished?.kind).toBe('finish');
  });
});
