import { describe, expect, it } from 'vitest';
import { appendChunkToPlaylist, completePlaylist, parseMediaPlaylist } from './chunk-playlist.js';

// Playlists as ffmpeg's HLS muxer writes a chunk's rung (VOD, or EVENT while encoding).
const chunkPlaylist = (durations: number[], { type = 'VOD', targetDuration = 4, ended = true, init = 'init_0.mp4' } = {}) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${targetDuration}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    `#EXT-X-PLAYLIST-TYPE:${type}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-MAP:URI="${init}"`,
    ...durations.flatMap((d, i) => [`#EXTINF:${d.toFixed(6)},`, `seg_${String(i).padStart(5, '0')}.m4s`]),
    ...(ended ? ['#EXT-X-ENDLIST'] : []),
    '',
  ].join('\n');

const uris = (playlist: string) => parseMediaPlaylist(playlist).segments.map((s) => s.uri);

describe('appending chunks to a lecture playlist', () => {
  it('starts an EVENT playlist without ENDLIST from chunk 0, keeping its segment names', () => {
    const first = appendChunkToPlaylist(null, chunkPlaylist([4, 4, 4]), { lastChunk: false });
    expect(first.playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(first.playlist).not.toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(first.playlist).not.toContain('#EXT-X-ENDLIST');
    expect(first.playlist).toContain('#EXT-X-MAP:URI="init_0.mp4"');
    expect(first.segments.map((s) => [s.from, s.to])).toEqual([0, 1, 2].map((i) => [`seg_0000${i}.m4s`, `seg_0000${i}.m4s`]));
  });

  it('numbers the next chunk’s segments on from the lecture’s, and lists them after', () => {
    const first = appendChunkToPlaylist(null, chunkPlaylist([4, 4]), { lastChunk: false });
    const second = appendChunkToPlaylist(first.playlist, chunkPlaylist([4, 4, 2.5]), { lastChunk: true });
    expect(second.segments.map((s) => [s.from, s.to])).toEqual([
      ['seg_00000.m4s', 'seg_00002.m4s'],
      ['seg_00001.m4s', 'seg_00003.m4s'],
      ['seg_00002.m4s', 'seg_00004.m4s'],
    ]);
    expect(uris(second.playlist)).toEqual(['seg_00000.m4s', 'seg_00001.m4s', 'seg_00002.m4s', 'seg_00003.m4s', 'seg_00004.m4s']);
    expect(parseMediaPlaylist(second.playlist).segments.map((s) => s.durationSeconds)).toEqual([4, 4, 4, 4, 2.5]);
    // What was published before is a prefix of what is published now: players only see it grow.
    expect(second.playlist.startsWith(first.playlist)).toBe(true);
  });

  it('drops the audio padding spill of every chunk but the last', () => {
    const first = appendChunkToPlaylist(null, chunkPlaylist([4, 4, 0.032]), { lastChunk: false });
    expect(first.segments).toHaveLength(2);
    const last = appendChunkToPlaylist(first.playlist, chunkPlaylist([4, 0.032]), { lastChunk: true });
    expect(last.segments.map((s) => s.durationSeconds)).toEqual([4, 0.032]);
    expect(uris(last.playlist)).toHaveLength(4);
  });

  it('takes the longest target duration of the chunks', () => {
    const first = appendChunkToPlaylist(null, chunkPlaylist([4]), { lastChunk: false });
    const second = appendChunkToPlaylist(first.playlist, chunkPlaylist([5], { targetDuration: 5 }), { lastChunk: false });
    expect(parseMediaPlaylist(second.playlist).targetDuration).toBe(5);
    expect(second.playlist.match(/#EXT-X-TARGETDURATION/g)).toHaveLength(1);
  });

  it('reads a chunk still being encoded (EVENT, no ENDLIST), and one ffmpeg already finished', () => {
    const encoding = appendChunkToPlaylist(null, chunkPlaylist([4], { type: 'EVENT', ended: false }), { lastChunk: false });
    const finished = appendChunkToPlaylist(null, chunkPlaylist([4], { type: 'EVENT', ended: true }), { lastChunk: false });
    expect(finished.playlist).toBe(encoding.playlist);
    expect(finished.playlist).not.toContain('#EXT-X-ENDLIST');
  });

  it('refuses a chunk whose rung names another init segment', () => {
    const first = appendChunkToPlaylist(null, chunkPlaylist([4]), { lastChunk: false });
    expect(() => appendChunkToPlaylist(first.playlist, chunkPlaylist([4], { init: 'init_1.mp4' }), { lastChunk: false })).toThrow(/init segment/);
  });

  it('adds a PLAYLIST-TYPE line after TARGETDURATION when the chunk has none', () => {
    const bare = chunkPlaylist([4]).replace('#EXT-X-PLAYLIST-TYPE:VOD\n', '');
    const lines = appendChunkToPlaylist(null, bare, { lastChunk: false }).playlist.split('\n');
    expect(lines.indexOf('#EXT-X-PLAYLIST-TYPE:EVENT')).toBe(lines.indexOf('#EXT-X-TARGETDURATION:4') + 1);
  });
});

describe('completing a lecture playlist', () => {
  it('turns the EVENT playlist into VOD with ENDLIST, segments unchanged', () => {
    const first = appendChunkToPlaylist(null, chunkPlaylist([4, 4]), { lastChunk: false });
    const second = appendChunkToPlaylist(first.playlist, chunkPlaylist([3]), { lastChunk: true });
    const complete = completePlaylist(second.playlist);
    expect(complete).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(complete).not.toContain('EVENT');
    expect(complete.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(uris(complete)).toEqual(uris(second.playlist));
    expect(complete.replace('VOD', 'EVENT').replace('#EXT-X-ENDLIST\n', '')).toBe(second.playlist);
    // Completing twice changes nothing.
    expect(completePlaylist(complete)).toBe(complete);
  });

  it('gives a single chunk the playlist ffmpeg wrote for it', () => {
    const vod = chunkPlaylist([4, 4, 1.5]);
    expect(completePlaylist(appendChunkToPlaylist(null, vod, { lastChunk: true }).playlist)).toBe(vod);
  });
});
