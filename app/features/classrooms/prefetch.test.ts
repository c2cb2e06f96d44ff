import { describe, expect, it } from 'vitest';
import { cacheKeyOf, chooseRung, megabytes } from './prefetch.js';

const id = '0b6f3b2e-9a51-4c35-8d0e-3f8c2f9f7a10';

describe('prefetch cache keys and rung choice', () => {
  it('keys ignore the signature and its expiry, so a page loaded tomorrow finds today’s entries', () => {
    const today = cacheKeyOf(`https://edu.example/media/${id}/1764072000/abcDEF_-12/hls/240p/seg-3.m4s`);
    const tomorrow = cacheKeyOf(`/media/${id}/1764158400/zzzzzzz/hls/240p/seg-3.m4s`);
    expect(today).toBe(`/media/${id}/-/hls/240p/seg-3.m4s`);
    expect(tomorrow).toBe(today);
    expect(cacheKeyOf(`/slides/${id}/1764072000/sig/${id}/page-001.webp`)).toBe(`/slides/${id}/-/${id}/page-001.webp`);
  });

  it('other URLs are not ours to cache', () => {
    expect(cacheKeyOf('/classroom/sessions/x/console')).toBeNull();
    expect(cacheKeyOf(`/media/not-a-uuid/1/sig/hls/master.m3u8`)).toBeNull();
    expect(cacheKeyOf(`/media/${id}/hls/master.m3u8`)).toBeNull();
  });

  it('prefetches the rung asked for, else the last one played, else the lowest picture rung', () => {
    const rungs = ['audio', '480p', '240p', '144p'];
    expect(chooseRung(rungs, '240p', '480p')).toBe('480p');
    expect(chooseRung(rungs, '240p', '999p')).toBe('240p');
    expect(chooseRung(rungs, null, null)).toBe('144p');
    expect(chooseRung(['audio'], null, null)).toBe('audio');
    expect(chooseRung([], null, null)).toBeNull();
    expect(megabytes(40 * 1024 * 1024 - 1)).toBe('40.0');
  });
});
