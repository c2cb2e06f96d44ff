// Which parts of a lecture a student has actually watched, as merged [start, end) second
// ranges. Seeking ahead does not count; watching the same minute twice counts once.
export type Range = [number, number];

/** Open edX's rule: a video is complete once 95% of it has been watched. */
export const COMPLETION_FRACTION = 0.95;
const MAX_RANGES = 500;

export function mergeRanges(ranges: readonly Range[], duration: number): Range[] {
  const clean = ranges
    .map(([s, e]): Range => [Math.max(0, Math.min(s, duration)), Math.max(0, Math.min(e, duration))])
    .filter(([s, e]) => Number.isFinite(s) && Number.isFinite(e) && e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const [s, e] of clean) {
    const last = merged.at(-1);
    // Gaps under a second are timer jitter, not skipped content.
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged.slice(0, MAX_RANGES);
}

export function watchedSeconds(ranges: readonly Range[]): number {
  return ranges.reduce((sum, [s, e]) => sum + (e - s), 0);
}

export function watchedFraction(ranges: readonly Range[], duration: number): number {
  return duration > 0 ? Math.min(1, watchedSeconds(mergeRanges(ranges, duration)) / duration) : 0;
}

export function isComplete(ranges: readonly Range[], duration: number): boolean {
  return watchedFraction(ranges, duration) >= COMPLETION_FRACTION;
}

/** What of `ranges` is not covered by `covered` (both as reported, in seconds). */
export function subtractRanges(ranges: readonly Range[], covered: readonly Range[]): Range[] {
  let rest: Range[] = ranges.map(([s, e]): Range => [s, e]).filter(([s, e]) => e > s);
  for (const [cs, ce] of covered) {
    rest = rest.flatMap(([s, e]): Range[] => {
      if (ce <= s || cs >= e) return [[s, e]];
      const parts: Range[] = [];
      if (cs > s) parts.push([s, cs]);
      if (ce < e) parts.push([ce, e]);
      return parts;
    });
  }
  return rest;
}
