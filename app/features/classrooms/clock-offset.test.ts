import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';
import { CLOCK_BURST, CLOCK_WINDOW, clockSample, estimateClockOffset, nextSampleDelay, type ClockSample } from './clock-offset.js';

/**
 * One exchange on a synthetic timeline: the client's clock reads `trueOffset` ms behind the
 * server's; each leg takes `base` ms plus its own random queueing delay; the server spends
 * `serverMs` between receiving and replying.
 */
function exchange(at: number, trueOffset: number, legDelay: () => number, serverMs = 0.3): ClockSample {
  const t0 = at;
  const t1 = t0 + legDelay() + trueOffset;
  const t2 = t1 + serverMs;
  const t3 = t2 - trueOffset + legDelay();
  return clockSample({ t0, t1, t2, t3 });
}

describe('clock offset from four timestamps', () => {
  it('is exact when both legs take equally long', () => {
    const s = clockSample({ t0: 1000, t1: 6010, t2: 6011, t3: 1021 });
    expect(s.offsetMs).toBe(5000);
    expect(s.delayMs).toBe(20);
  });

  it('errs by half the difference between the legs when they differ', () => {
    // 10 ms out, 50 ms back: the estimate is 20 ms off, within half the 60 ms round trip.
    const s = clockSample({ t0: 0, t1: 10 + 700, t2: 700 + 10, t3: 10 + 50 });
    expect(s.offsetMs - 700).toBe(-20);
    expect(Math.abs(s.offsetMs - 700)).toBeLessThanOrEqual(s.delayMs / 2);
  });

  it('picks the lowest-delay sample of the last twenty-four', () => {
    const samples: ClockSample[] = [
      { offsetMs: 90, delayMs: 300, at: 1 },
      { offsetMs: 12, delayMs: 4, at: 2 },
      { offsetMs: 40, delayMs: 80, at: 3 },
    ];
    expect(estimateClockOffset(samples)).toEqual({ offsetMs: 12, delayMs: 4, errorBoundMs: 2 });
    expect(estimateClockOffset([])).toBeNull();
    // An old best sample falls out of the window.
    const later = [...samples, ...Array.from({ length: CLOCK_WINDOW }, (_, i) => ({ offsetMs: 30 + i, delayMs: 50 + i, at: 10 + i }))];
    expect(estimateClockOffset(later)!.offsetMs).toBe(30);
  });

  it('on loopback-like links (0.1-1 ms legs) is within 1 ms of the true offset', () => {
    const rnd = seededRandom(7);
    for (const trueOffset of [-86_400_000, -1234.5, 0, 37, 5_000_000]) {
      const samples = Array.from({ length: CLOCK_BURST }, (_, i) => exchange(i * 150, trueOffset, () => 0.1 + rnd() * 0.9));
      expect(Math.abs(estimateClockOffset(samples)!.offsetMs - trueOffset)).toBeLessThan(1);
    }
  });

  it('with 100 ± 50 ms of jitter on each leg, a burst of twenty-four keeps 99 % of errors under 25 ms; single samples do not', () => {
    const rnd = seededRandom(42);
    const leg = () => 50 + rnd() * 100; // 100 ± 50 ms
    const filtered: number[] = [];
    const single: number[] = [];
    for (let trial = 0; trial < 1000; trial++) {
      const trueOffset = (rnd() - 0.5) * 10_000;
      const samples = Array.from({ length: CLOCK_BURST }, (_, i) => exchange(i * 150, trueOffset, leg));
      filtered.push(Math.abs(estimateClockOffset(samples)!.offsetMs - trueOffset));
      single.push(Math.abs(samples[0]!.offsetMs - trueOffset));
    }
    const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;
    expect(p(filtered, 0.99)).toBeLessThan(25);
    expect(p(filtered, 0.5)).toBeLessThan(10);
    expect(p(single, 0.5)).toBeGreaterThan(10);
    expect(p(single, 0.99)).toBeGreaterThan(30);
  });

  it('follows a client clock that drifts by 50 ppm when re-sampled every 10 s', () => {
    const rnd = seededRandom(3);
    const samples: ClockSample[] = [];
    let worst = 0;
    for (let taken = 0, now = 0; now < 3_600_000; taken++, now += nextSampleDelay(taken)) {
      const trueOffset = 200 + now * 50e-6; // 180 ms over the hour
      samples.push(exchange(now, trueOffset, () => 1 + rnd() * 4));
      if (taken >= CLOCK_BURST) worst = Math.max(worst, Math.abs(estimateClockOffset(samples)!.offsetMs - trueOffset));
    }
    // The window of twenty-four spans 4 min: 12 ms of drift at most, plus the legs' asymmetry.
    expect(worst).toBeLessThan(15);
  });

  it('samples in a burst first, then every 10 s', () => {
    expect(nextSampleDelay(0)).toBe(150);
    expect(nextSampleDelay(23)).toBe(150);
    expect(nextSampleDelay(24)).toBe(10_000);
  });
});
