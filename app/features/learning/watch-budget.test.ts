import { describe, expect, it } from 'vitest';
import { assessReport, BUDGET_SLACK_SECONDS, impossibleRangeReasons, remainingBudget } from './watch-budget.js';
import { watchedSeconds, type Range } from './watched-ranges.js';

describe('remainingBudget', () => {
  it('grows at twice the wall clock from the run’s start, less what the run already had accepted', () => {
    expect(remainingBudget({ elapsedSeconds: 60, acceptedSeconds: 0 }, { elapsedSeconds: 60, acceptedSeconds: 0 })).toBe(120 + BUDGET_SLACK_SECONDS);
    expect(remainingBudget({ elapsedSeconds: 60, acceptedSeconds: 100 }, { elapsedSeconds: 60, acceptedSeconds: 100 })).toBe(20 + BUDGET_SLACK_SECONDS);
    expect(remainingBudget({ elapsedSeconds: 1, acceptedSeconds: 50 }, { elapsedSeconds: 1, acceptedSeconds: 50 })).toBe(0);
  });

  it('keeps an old run’s budget: a report of it arriving late still fits', () => {
    // Watched 10 minutes at 1x a day ago, link down, delivered now.
    expect(remainingBudget({ elapsedSeconds: 86_400, acceptedSeconds: 0 }, { elapsedSeconds: 86_400, acceptedSeconds: 0 })).toBeGreaterThan(600);
  });

  it('shares one budget among runs that overlap: opening ten tabs buys no more time', () => {
    // Ten runs started together 30 s ago; nine have used 60 s each between them.
    const fresh = { elapsedSeconds: 30, acceptedSeconds: 0 };
    expect(remainingBudget(fresh, { elapsedSeconds: 30, acceptedSeconds: 60 })).toBe(BUDGET_SLACK_SECONDS);
  });

  it('never goes below zero, even for a run whose start the clock has not reached', () => {
    expect(remainingBudget({ elapsedSeconds: -5, acceptedSeconds: 0 }, { elapsedSeconds: -5, acceptedSeconds: 0 })).toBe(BUDGET_SLACK_SECONDS);
    expect(remainingBudget({ elapsedSeconds: 0, acceptedSeconds: 10 }, { elapsedSeconds: 0, acceptedSeconds: 10 })).toBe(0);
  });
});

describe('assessReport', () => {
  it('accepts an honest report whole', () => {
    const result = assessReport({ watched: [[0, 30]], claimed: [[30, 60]], duration: 100, budgetSeconds: 33 });
    expect(result).toEqual({ ranges: [[0, 60]], acceptedSeconds: 30, refusedSeconds: 0, reasons: [] });
  });

  it('clips the forged “watched it all one second after opening” to the budget, from the start', () => {
    const result = assessReport({ watched: [], claimed: [[0, 99_999]], duration: 100, budgetSeconds: 5 });
    expect(result.ranges).toHaveLength(1);
    expect(result.ranges[0]![0]).toBe(0);
    expect(result.ranges[0]![1]).toBeCloseTo(5, 1);
    expect(result.acceptedSeconds).toBeLessThanOrEqual(5);
    expect(result.refusedSeconds).toBeCloseTo(95, 1);
    expect(result.reasons).toEqual(['beyond-duration', 'over-budget']);
  });

  it('charges nothing for what was already watched: resent ranges are free', () => {
    const result = assessReport({ watched: [[0, 60]], claimed: [[0, 60], [10, 20]], duration: 100, budgetSeconds: 0 });
    expect(result).toEqual({ ranges: [[0, 60]], acceptedSeconds: 0, refusedSeconds: 0, reasons: [] });
  });

  it('charges the gaps mergeRanges bridges: slivers spaced under a second apart buy no free coverage', () => {
    const slivers: Range[] = Array.from({ length: 50 }, (_, i) => [i, i + 0.05]);
    // 2.5 s claimed would cover 49 s once merged.
    expect(watchedSeconds(assessReport({ watched: [], claimed: slivers, duration: 100, budgetSeconds: 1_000 }).ranges)).toBeCloseTo(49.05);
    const result = assessReport({ watched: [], claimed: slivers, duration: 100, budgetSeconds: 10 });
    expect(result.acceptedSeconds).toBeLessThanOrEqual(10);
    expect(watchedSeconds(result.ranges)).toBeLessThanOrEqual(10);
    expect(result.reasons).toContain('over-budget');
  });

  it('fills several new pieces in order until the budget is spent', () => {
    const result = assessReport({ watched: [[10, 20]], claimed: [[0, 10], [20, 40], [60, 80]], duration: 100, budgetSeconds: 25 });
    expect(result.ranges).toEqual([[0, 35]]);
    expect(result.acceptedSeconds).toBeCloseTo(25, 1);
    expect(result.refusedSeconds).toBeCloseTo(25, 1);
  });

  it('clamps impossible ranges and says why', () => {
    const result = assessReport({ watched: [], claimed: [[-30, 5], [8, 4], [90, 250]], duration: 100, budgetSeconds: 1_000 });
    expect(result.ranges).toEqual([[0, 5], [90, 100]]);
    expect(result.acceptedSeconds).toBe(15);
    expect(result.reasons).toEqual(['negative', 'beyond-duration', 'reversed']);
  });
});

describe('impossibleRangeReasons', () => {
  it('lets the player’s rounding and a rung slightly longer than the listed duration through', () => {
    expect(impossibleRangeReasons([[-0.05, 10], [95, 100.6]], 100)).toEqual([]);
  });
});
