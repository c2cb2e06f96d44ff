import { describe, expect, it } from 'vitest';
import { FIRST_BANDWIDTH_ESTIMATE, nativePlaylist, parseQuality, qualityValue, rememberedBandwidth, saverCap } from './quality.js';

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

  it('hands a browser playing HLS itself the one playlist the viewer chose', () => {
    const ladder = [{ name: '240p', height: 240 }, { name: '720p', height: 720 }, { name: '360p', height: 360 }, { name: '144p', height: 144 }, { name: 'audio', height: null }];
    expect(nativePlaylist({ kind: 'auto' }, ladder)).toBe('master.m3u8');
    expect(nativePlaylist({ kind: 'saver' }, ladder)).toBe('240p/index.m3u8');
    expect(nativePlaylist({ kind: 'saver' }, [{ name: '180p', height: 180 }, { name: '480p', height: 480 }])).toBe('180p/index.m3u8');
    expect(nativePlaylist({ kind: 'saver' }, [{ name: '360p', height: 360 }])).toBe('360p/index.m3u8');
    expect(nativePlaylist({ kind: 'rung', height: 360 }, ladder)).toBe('360p/index.m3u8');
    expect(nativePlaylist({ kind: 'rung', height: 1080 }, ladder)).toBe('master.m3u8');
    expect(nativePlaylist({ kind: 'audio' }, ladder)).toBe('audio/index.m3u8');
    expect(nativePlaylist({ kind: 'audio' }, [{ name: '240p', height: 240 }])).toBe('master.m3u8');
  });
});
