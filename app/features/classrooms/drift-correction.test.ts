import { describe, expect, it } from 'vitest';
import { decideCorrection, DRIFT_IGNORE_MS, SEEK_COOLDOWN_MS } from './drift-correction.js';
import { seededRandom } from './seeded-random.js';

const playing = { playing: true, buffering: false, msSinceLastSeek: 60_000 };

describe('drift correction decisions', () => {
  it('leaves small drift alone, nudges the rate for medium drift, seeks for large drift', () => {
    expect(decideCorrection({ ...playing, driftMs: 30 })).toEqual({ kind: 'none' });
    expect(decideCorrection({ ...playing, driftMs: -59 })).toEqual({ kind: 'none' });
    expect(decideCorrection({ ...playing, driftMs: 100 })).toEqual({ kind: 'rate', rate: 1.05 });
    expect(decideCorrection({ ...playing, driftMs: -100 })).toEqual({ kind: 'rate', rate: 0.95 });
    expect(decideCorrection({ ...playing, driftMs: 900 })).toEqual({ kind: 'rate', rate: 1.1 });
    expect(decideCorrection({ ...playing, driftMs: 1500 })).toEqual({ kind: 'seek' });
    expect(decideCorrection({ ...playing, driftMs: -4000 })).toEqual({ kind: 'seek' });
  });

  it('keeps nudging until within 20 ms once started (no flapping around 60 ms)', () => {
    expect(decideCorrection({ ...playing, driftMs: 40 })).toEqual({ kind: 'none' });
    expect(decideCorrection({ ...playing, driftMs: 40, correcting: true })).toEqual({ kind: 'rate', rate: 1.02 });
    expect(decideCorrection({ ...playing, driftMs: 19, correcting: true })).toEqual({ kind: 'none' });
  });

  it('does not seek again while the last seek is still settling, nor while buffering', () => {
    expect(decideCorrection({ ...playing, driftMs: 1500, msSinceLastSeek: SEEK_COOLDOWN_MS - 1 })).toEqual({ kind: 'none' });
    expect(decideCorrection({ ...playing, driftMs: 5000, buffering: true })).toEqual({ kind: 'none' });
  });

  it('when paused, seeks from 40 ms (no rate can help a still picture)', () => {
    expect(decideCorrection({ ...playing, playing: false, driftMs: 39 })).toEqual({ kind: 'none' });
    expect(decideCorrection({ ...playing, playing: false, driftMs: -45 })).toEqual({ kind: 'seek' });
  });

  /**
   * A screen on a synthetic timeline: its decoder runs 0.3 % fast, its position is read
   * with ±15 ms of jitter every 500 ms, a seek lands 300 ms late (HLS start-up), and
   * the controller's decisions are applied as a player would.
   */
  function simulate(startDriftMs: number, seconds: number, seed = 1) {
    const rnd = seededRandom(seed);
    let drift = startDriftMs; // ms the screen is behind
    let rate = 1;
    let lastSeekAt = -Infinity;
    const seeks: number[] = [];
    const rateChanges: number[] = [];
    const history: number[] = [];
    for (let t = 0; t < seconds * 1000; t += 500) {
      drift -= 500 * (rate * 1.003 - 1); // playing faster than real time shrinks the lag
      const measured = drift + (rnd() - 0.5) * 30;
      const c = decideCorrection({ driftMs: measured, playing: true, buffering: false, msSinceLastSeek: t - lastSeekAt, correcting: rate !== 1 });
      if (c.kind === 'seek') {
        drift = 300;
        lastSeekAt = t;
        seeks.push(t);
        rate = 1;
      } else {
        const next = c.kind === 'rate' ? c.rate : 1;
        if ((next === 1) !== (rate === 1)) rateChanges.push(t);
        rate = next;
      }
      history.push(drift);
    }
    return { seeks, rateChanges, finalDrift: drift, history };
  }

  it('a screen 3 s behind seeks once, then closes the rest by rate and stays within 60 ms', () => {
    const run = simulate(3000, 60);
    expect(run.seeks).toEqual([0]);
    expect(Math.max(...run.history.slice(-60).map(Math.abs))).toBeLessThan(DRIFT_IGNORE_MS + 15);
  });

  it('a screen 400 ms ahead never seeks: the rate brings it back', () => {
    const run = simulate(-400, 60, 2);
    expect(run.seeks).toEqual([]);
    expect(Math.abs(run.finalDrift)).toBeLessThan(DRIFT_IGNORE_MS + 15);
  });

  it('a screen in step is left alone: no seeks, and the rate is switched on and off rarely despite measurement jitter', () => {
    const run = simulate(0, 120, 3);
    expect(run.seeks).toEqual([]);
    // 0.3 % fast drifts 40 ms (from 20 back to 60) in about 13 s: one episode each time, no flapping.
    const gaps = run.rateChanges.slice(1).map((t, i) => t - run.rateChanges[i]!);
    expect(run.rateChanges.length).toBeLessThanOrEqual(20);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...run.history.map(Math.abs))).toBeLessThan(DRIFT_IGNORE_MS + 15);
  });
});
