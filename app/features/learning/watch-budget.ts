// How much newly watched time the server accepts from one report. A playback run starts
// when the server hands a student the lesson page (nothing can play before that); from
// then on the player cannot have played more than MAX_PLAYBACK_RATE seconds of the video
// per second of wall-clock time, whenever its report arrives. A report kept on the device
// through a dropped link arrives late, but its run started as long ago as it did, so it
// still fits. See docs/decisions/028-watch-evidence.md.
import { mergeRanges, watchedSeconds, type Range } from './watched-ranges.js';

/** The fastest speed that counts: the player's own speed menu stops at 2×. */
export const MAX_PLAYBACK_RATE = 2;
/** Covers the 0.1 s rounding of each reported range and the gap-joining of mergeRanges. */
export const BUDGET_SLACK_SECONDS = 3;
/**
 * A listed duration is ffprobe's; the HLS rungs may end a little later. Ranges up to this
 * far past it are clamped quietly; further is not something a player can report.
 */
export const DURATION_TOLERANCE_SECONDS = 1;

export type RunClock = {
  /** Wall-clock seconds since the run started, by the database's clock. */
  elapsedSeconds: number;
  /** Newly watched seconds already accepted from it. */
  acceptedSeconds: number;
};

/**
 * What is left of a run's budget, shared with the viewer's other runs of the lesson: runs
 * that overlap in time (two tabs, a script opening many) share one budget, from the
 * earliest of them, so starting more runs buys no time.
 */
export function remainingBudget(run: RunClock, allRuns: RunClock): number {
  const own = MAX_PLAYBACK_RATE * Math.max(0, run.elapsedSeconds) + BUDGET_SLACK_SECONDS - run.acceptedSeconds;
  const pooled = MAX_PLAYBACK_RATE * Math.max(0, allRuns.elapsedSeconds) + BUDGET_SLACK_SECONDS - allRuns.acceptedSeconds;
  return Math.max(0, Math.min(own, pooled));
}

export const clipReasons = ['negative', 'beyond-duration', 'reversed', 'over-budget'] as const;
export type ClipReason = (typeof clipReasons)[number];

export type ReportAssessment = {
  /** Everything watched of the lesson after this report (what is stored). */
  ranges: Range[];
  /** Seconds of the video newly counted as watched. */
  acceptedSeconds: number;
  /** Seconds the report claimed as new that were not counted for lack of budget. */
  refusedSeconds: number;
  /** Why the report was clipped; empty for an honest one. */
  reasons: ClipReason[];
};

/** Ranges no player can report: before the start, past the end, ending before they begin. */
export function impossibleRangeReasons(claimed: readonly Range[], duration: number): ClipReason[] {
  const reasons = new Set<ClipReason>();
  for (const [start, end] of claimed) {
    if (start < -DURATION_TOLERANCE_SECONDS || end < -DURATION_TOLERANCE_SECONDS) reasons.add('negative');
    if (start > duration + DURATION_TOLERANCE_SECONDS || end > duration + DURATION_TOLERANCE_SECONDS) reasons.add('beyond-duration');
    if (end < start) reasons.add('reversed');
  }
  return clipReasons.filter((r) => reasons.has(r));
}

/**
 * Adds a report's ranges to what was watched, counting at most `budgetSeconds` of new
 * coverage, earliest position first. Coverage is measured after merging, so tiny ranges
 * spaced to make mergeRanges bridge their gaps cost what they would add.
 */
export function assessReport(input: { watched: readonly Range[]; claimed: readonly Range[]; duration: number; budgetSeconds: number }): ReportAssessment {
  const { duration } = input;
  const reasons = impossibleRangeReasons(input.claimed, duration);
  const base = mergeRanges(input.watched, duration);
  const baseSeconds = watchedSeconds(base);
  const pieces = mergeRanges(input.claimed, duration);
  const everything = mergeRanges([...base, ...pieces], duration);
  const claimedGain = watchedSeconds(everything) - baseSeconds;
  if (claimedGain <= input.budgetSeconds) return { ranges: everything, acceptedSeconds: claimedGain, refusedSeconds: 0, reasons };

  let current = base;
  let remaining = input.budgetSeconds;
  for (const [start, end] of pieces) {
    const gainUpTo = (until: number) => watchedSeconds(mergeRanges([...current, [start, until]], duration)) - watchedSeconds(current);
    const whole = gainUpTo(end);
    if (whole <= remaining) {
      current = mergeRanges([...current, [start, end]], duration);
      remaining -= whole;
      continue;
    }
    const until = furthestWithin(start, end, remaining, gainUpTo);
    if (until > start) current = mergeRanges([...current, [start, until]], duration);
    break;
  }
  const acceptedSeconds = watchedSeconds(current) - baseSeconds;
  return { ranges: current, acceptedSeconds, refusedSeconds: claimedGain - acceptedSeconds, reasons: [...reasons, 'over-budget'] };
}

/** The furthest end in [start, end] whose gain stays within `limit` (gain never falls as the end moves on). */
function furthestWithin(start: number, end: number, limit: number, gainUpTo: (until: number) => number): number {
  let low = start;
  let high = end;
  // 0.01 s is finer than anything the player reports.
  while (high - low > 0.01) {
    const middle = (low + high) / 2;
    if (gainUpTo(middle) <= limit) low = middle;
    else high = middle;
  }
  return Math.floor(low * 100) / 100;
}
