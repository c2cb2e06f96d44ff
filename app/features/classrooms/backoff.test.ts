import { describe, expect, it } from 'vitest';
import { reconnectDelay } from './backoff.js';
import { seededRandom } from './seeded-random.js';

describe('reconnect backoff', () => {
  it('doubles from 1 s up to 30 s, between half and all of the cap', () => {
    expect(reconnectDelay(0, () => 0)).toBe(500);
    expect(reconnectDelay(0, () => 1)).toBe(1000);
    expect(reconnectDelay(3, () => 0)).toBe(4000);
    expect(reconnectDelay(10, () => 1)).toBe(30_000);
    expect(reconnectDelay(50, () => 0)).toBe(15_000);
  });

  it('spreads a thousand screens cut off together over the window', () => {
    const rnd = seededRandom(9);
    const delays = Array.from({ length: 1000 }, () => reconnectDelay(2, rnd));
    const perHalfSecond = new Map<number, number>();
    for (const d of delays) perHalfSecond.set(Math.floor(d / 500), (perHalfSecond.get(Math.floor(d / 500)) ?? 0) + 1);
    expect(Math.max(...perHalfSecond.values())).toBeLessThan(300);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(4000);
  });
});
