import { describe, expect, it } from 'vitest';
import { lowestVideoVariant, playerStart, segmentAt } from './player-start.js';

// As ffmpeg's HLS muxer writes them (media/ladder-command.ts), 240p listed first.
const master = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-STREAM-INF:BANDWIDTH=96800,RESOLUTION=426x240,CODECS="avc1.640015,mp4a.40.2",SUBTITLES="subs"',
  '240p/index.m3u8',
  '',
  '#EXT-X-STREAM-INF:BANDWIDTH=492800,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"',
  '720p/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=68200,RESOLUTION=256x144,CODECS="avc1.64000b,mp4a.40.2"',
  '144p/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=35200,CODECS="mp4a.40.2"',
  'audio/index.m3u8',
].join('\n');

const rung = (type: 'VOD' | 'EVENT', segments: number, ended = true) =>
  [
    '#EXTM3U',
    '#EXT-X-TARGETDURATION:4',
    `#EXT-X-PLAYLIST-TYPE:${type}`,
    '#EXT-X-MAP:URI="init_4.mp4"',
    ...Array.from({ length: segments }, (_, i) => [`#EXTINF:${i === segments - 1 ? '2.5' : '4.000000'},`, `seg_${String(i).padStart(5, '0')}.m4s`]).flat(),
    ...(ended ? ['#EXT-X-ENDLIST'] : []),
  ].join('\n');

describe('the first frame’s media', () => {
  it('starts on the lowest video rung, never the audio-only one, with its exact codecs', () => {
    expect(lowestVideoVariant(master)).toEqual({ uri: '144p/index.m3u8', codecs: 'avc1.64000b,mp4a.40.2' });
    expect(lowestVideoVariant('#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=35200,CODECS="mp4a.40.2"\naudio/index.m3u8')).toBeNull();
  });

  it('picks the segment that holds the resume position', () => {
    const vod = rung('VOD', 4);
    expect(segmentAt(vod, 0)).toEqual({ init: 'init_4.mp4', segment: 'seg_00000.m4s', start: 0, end: 4 });
    expect(segmentAt(vod, 6)).toEqual({ init: 'init_4.mp4', segment: 'seg_00001.m4s', start: 4, end: 8 });
    expect(segmentAt(vod, 8)).toEqual({ init: 'init_4.mp4', segment: 'seg_00002.m4s', start: 8, end: 12 });
    // Past the end (a stale position): the last segment.
    expect(segmentAt(vod, 99)).toEqual({ init: 'init_4.mp4', segment: 'seg_00003.m4s', start: 12, end: 14.5 });
  });

  it('works on an EVENT playlist still being written, and gives up when it has no segment yet', () => {
    expect(segmentAt(rung('EVENT', 2, false), 0)?.segment).toBe('seg_00000.m4s');
    expect(segmentAt(rung('EVENT', 0, false), 0)).toBeNull();
    expect(segmentAt('#EXTM3U\n#EXTINF:4,\nseg_00000.m4s', 0)).toBeNull();
  });

  it('gives URLs under the signed base and a MIME type MSE can check', () => {
    const start = playerStart('/media/v/1/sig/', { uri: '144p/index.m3u8', codecs: 'avc1.64000b,mp4a.40.2' }, rung('VOD', 3), 5);
    expect(start).toEqual({
      initUrl: '/media/v/1/sig/hls/144p/init_4.mp4',
      segmentUrl: '/media/v/1/sig/hls/144p/seg_00001.m4s',
      startAt: 5,
      listedSeconds: 10.5,
      mimeType: 'video/mp4; codecs="avc1.64000b,mp4a.40.2"',
    });
  });

  it('never starts past what a playlist still being written lists (a chunked lecture before its later chunks)', () => {
    const variant = { uri: '144p/index.m3u8', codecs: 'avc1.64000b,mp4a.40.2' };
    // Two segments (6.5 s) published so far; the student last stopped at 300 s.
    const early = playerStart('/m/', variant, rung('EVENT', 2, false), 300);
    expect(early).toMatchObject({ segmentUrl: '/m/hls/144p/seg_00001.m4s', startAt: 4, listedSeconds: 6.5 });
    // Within what is listed, the resume position itself.
    expect(playerStart('/m/', variant, rung('EVENT', 2, false), 5)).toMatchObject({ segmentUrl: '/m/hls/144p/seg_00001.m4s', startAt: 5 });
  });
});
