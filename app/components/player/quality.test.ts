import { describe, expect, it } from 'vitest';
import { FIRST_BANDWIDTH_ESTIMATE, parseQuality, qualityValue, rememberedBandwidth, saverCap } from './quality.js';

describe('player quality choices', () => {
  it('round-trips every choice through storage and falls back to auto', () => {
    for (const v of ['auto', 'saver', 'audio', '360p', '144p']) expect(qualityValue(parseQuality(v))).toBe(v);
    expect(parseQuality(null)).toEqual({ kind: 'auto' });
    expect(parseQuality('9999999p; drop table')).toEqual({ kind: 'auto' });
  });

  it('data saver never goes above 240p', () => {
    expect(saverCap([144, 240, 360, 480, 720])).toBe(1);
    expect(saverCap([144])).toBe(0);
  });

  it('starts cautiously on an unknown device and remembers a measured link', () => {
    expect(rememberedBandwidth(null)).toBe(FIRST_BANDWIDTH_ESTIMATE);
    expect(rememberedBandwidth('garbage')).toBe(FIRST_BANDWIDTH_ESTIMATE);
    expect(rememberedBandwidth('420000')).toBe(420_000);
  });
});
