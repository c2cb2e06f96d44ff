import { mergeRanges, subtractRanges, type Range } from '../../features/learning/watched-ranges.js';

/** The server takes at most this many ranges per report; the rest go with the next. */
export const RANGES_PER_REPORT = 200;
/** Runs remembered per video on a device: one a page view, so far more than anyone leaves unsent. */
const MAX_RUNS = 20;

type Stored = { v: 2; runs: Record<string, Range[]> };

export type UnsentReports = {
  /** Each run's ranges not yet known to have reached the server, oldest run first. */
  read(): [run: string, ranges: Range[]][];
  keep(run: string, ranges: Range[]): void;
  /** Drops what the server has now counted; what was played meanwhile stays. */
  delivered(run: string, ranges: Range[]): void;
};

const isRange = (r: unknown): r is Range => Array.isArray(r) && r.length === 2 && r.every((n) => typeof n === 'number' && Number.isFinite(n));

/**
 * Ranges not known to have reached the server, kept on the device per playback run: a
 * report that failed (the link dropped while the buffer played on) or a beacon, whose
 * fate is never known. The run is what lets the server place a late report in time, so
 * ranges always travel with the run they were played in. `storage` is null where the
 * browser blocks it (the ranges then live for this visit only, in the caller's memory).
 */
export function unsentReports(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null, key: string): UnsentReports {
  const load = (): Stored => {
    try {
      const value = JSON.parse(storage?.getItem(key) ?? 'null') as unknown;
      // Ranges kept before runs existed (a bare array) cannot be placed in time: dropped.
      if (!value || typeof value !== 'object' || (value as Stored).v !== 2) return { v: 2, runs: {} };
      const runs: Record<string, Range[]> = {};
      for (const [run, ranges] of Object.entries((value as Stored).runs ?? {})) {
        if (Array.isArray(ranges)) runs[run] = ranges.filter(isRange);
      }
      return { v: 2, runs };
    } catch {
      return { v: 2, runs: {} };
    }
  };
  const save = (stored: Stored) => {
    const entries = Object.entries(stored.runs).filter(([, ranges]) => ranges.length > 0);
    try {
      if (entries.length === 0) storage?.removeItem(key);
      else storage?.setItem(key, JSON.stringify({ v: 2, runs: Object.fromEntries(entries.slice(-MAX_RUNS)) }));
    } catch {
      // Storage full or blocked: the ranges stay in memory for this visit only.
    }
  };
  return {
    read: () => Object.entries(load().runs),
    keep(run, ranges) {
      const stored = load();
      const merged = mergeRanges([...(stored.runs[run] ?? []), ...ranges], Infinity).slice(0, RANGES_PER_REPORT);
      // Re-inserted last: the most recently played run is the last to be dropped.
      delete stored.runs[run];
      stored.runs[run] = merged;
      save(stored);
    },
    delivered(run, ranges) {
      const stored = load();
      if (!stored.runs[run]) return;
      stored.runs[run] = subtractRanges(stored.runs[run], ranges);
      save(stored);
    },
  };
}
