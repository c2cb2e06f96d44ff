import { describe, expect, it } from 'vitest';
import { isComplete, mergeRanges, subtractRanges, watchedFraction } from './watched-ranges.js';

describe('watched ranges', () => {
  it('merges overlapping and adjacent ranges, and clamps to the video', () => {
    expect(mergeRanges([[10, 20], [0, 5], [15, 30], [30.5, 40], [90, 200]], 100)).toEqual([[0, 5], [10, 40], [90, 100]]);
  });

  it('ignores nonsense: reversed, negative, not-a-number', () => {
    expect(mergeRanges([[5, 1], [-10, -1], [Number.NaN, 3], [2, 4]], 60)).toEqual([[2, 4]]);
  });

  it('counts a minute watched twice once', () => {
    expect(watchedFraction([[0, 60], [0, 60], [30, 60]], 120)).toBeCloseTo(0.5);
  });

  it('is complete at 95% watched, not by seeking to the end', () => {
    expect(isComplete([[0, 94]], 100)).toBe(false);
    expect(isComplete([[0, 95]], 100)).toBe(true);
    expect(isComplete([[0, 10], [90, 100]], 100)).toBe(false);
  });

  it('subtracts what was delivered from what is kept, leaving what was played since', () => {
    expect(subtractRanges([[0, 30], [40, 60]], [[0, 30]])).toEqual([[40, 60]]);
    expect(subtractRanges([[0, 45]], [[0, 30]])).toEqual([[30, 45]]);
    expect(subtractRanges([[0, 60]], [[10, 20], [30, 40]])).toEqual([[0, 10], [20, 30], [40, 60]]);
    expect(subtractRanges([[5, 10]], [])).toEqual([[5, 10]]);
    expect(subtractRanges([[5, 10]], [[0, 100]])).toEqual([]);
  });
});
