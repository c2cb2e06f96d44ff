import { describe, expect, it } from 'vitest';
import { planChunks } from './chunks.js';

const settings = { chunkedFromSeconds: 600, chunkSeconds: 300 };

describe('planChunks', () => {
  it('keeps a short lecture in one piece', () => {
    expect(planChunks(599, 4, settings)).toEqual([{ index: 0, startSeconds: 0, durationSeconds: null, expectedSeconds: 599 }]);
    expect(planChunks(600, 4, settings)).toHaveLength(1);
    expect(planChunks(null, 4, settings)).toHaveLength(1);
  });

  it('starts every chunk on a segment boundary and lets the last one run to the end', () => {
    const chunks = planChunks(3601.5, 4, { chunkedFromSeconds: 600, chunkSeconds: 301 });
    // 301 s is not a whole number of 4 s segments: chunks are 300 s.
    expect(chunks.map((c) => c.startSeconds)).toEqual([0, 300, 600, 900, 1200, 1500, 1800, 2100, 2400, 2700, 3000, 3300]);
    expect(chunks.every((c) => c.startSeconds % 4 === 0)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.durationSeconds === 300)).toBe(true);
    expect(chunks.at(-1)).toEqual({ index: 11, startSeconds: 3300, durationSeconds: null, expectedSeconds: 301.5 });
    expect(chunks.reduce((sum, c) => sum + c.expectedSeconds, 0)).toBeCloseTo(3601.5, 6);
  });

  it('folds a short tail into the chunk before it', () => {
    const chunks = planChunks(1210, 4, settings);
    expect(chunks.map((c) => [c.startSeconds, c.durationSeconds, c.expectedSeconds])).toEqual([[0, 300, 300], [300, 300, 300], [600, 300, 300], [900, null, 310]]);
    // A tail of a quarter chunk or more is a chunk of its own.
    expect(planChunks(1275, 4, settings).map((c) => c.startSeconds)).toEqual([0, 300, 600, 900, 1200]);
  });

  it('never makes a chunk shorter than one segment', () => {
    const chunks = planChunks(40, 4, { chunkedFromSeconds: 20, chunkSeconds: 1 });
    expect(chunks).toHaveLength(10);
    expect(chunks.map((c) => c.startSeconds)).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
  });

  it('does not split when the plan would give one chunk anyway', () => {
    expect(planChunks(650, 4, { chunkedFromSeconds: 600, chunkSeconds: 600 })).toHaveLength(1);
  });

  it('splits a lecture over the threshold in at least minChunks, on segment boundaries, never lengthening chunks', () => {
    const settings = { chunkedFromSeconds: 90, chunkSeconds: 300, minChunks: 2 };
    expect(planChunks(89, 4, settings)).toHaveLength(1);
    expect(planChunks(120.02, 4, settings).map((c) => [c.startSeconds, c.durationSeconds, Math.round(c.expectedSeconds * 100) / 100])).toEqual([[0, 64, 64], [64, null, 56.02]]);
    expect(planChunks(600, 4, settings).map((c) => c.startSeconds)).toEqual([0, 300]);
    // Long lectures keep five-minute chunks.
    expect(planChunks(3600, 4, settings)).toHaveLength(12);
    expect(planChunks(3600, 4, { ...settings, minChunks: 20 }).map((c) => c.durationSeconds).slice(0, 2)).toEqual([180, 180]);
  });
});
