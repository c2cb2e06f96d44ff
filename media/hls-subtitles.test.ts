import { describe, expect, it } from 'vitest';
import { subtitlePlaylist, withSubtitles } from './hls-subtitles.js';

const master = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-STREAM-INF:BANDWIDTH=97000,RESOLUTION=426x240,CODECS="avc1.64001e,mp4a.40.2"',
  '240p/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=176000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"',
  '360p/index.m3u8',
  '',
].join('\n');
const zh = { language: 'zh-CN', name: '中文', uri: 'subs/zh-CN.m3u8' };
const en = { language: 'en', name: 'English', uri: 'subs/en.m3u8' };

describe('HLS subtitles', () => {
  it('announces each track before the variants and links every variant to the group', () => {
    const out = withSubtitles(master, [zh, en]);
    const lines = out.split('\n');
    expect(lines.filter((l) => l.startsWith('#EXT-X-MEDIA:TYPE=SUBTITLES'))).toEqual([
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="中文",LANGUAGE="zh-CN",DEFAULT=NO,AUTOSELECT=YES,URI="subs/zh-CN.m3u8"',
      '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=NO,URI="subs/en.m3u8"',
    ]);
    expect(lines.indexOf(lines.find((l) => l.startsWith('#EXT-X-MEDIA'))!)).toBeLessThan(lines.findIndex((l) => l.startsWith('#EXT-X-STREAM-INF')));
    expect(lines.filter((l) => l.startsWith('#EXT-X-STREAM-INF')).every((l) => l.endsWith(',SUBTITLES="subs"'))).toBe(true);
  });

  it('is idempotent, and removing every track restores the original', () => {
    const once = withSubtitles(master, [zh]);
    expect(withSubtitles(once, [zh])).toBe(once);
    expect(withSubtitles(withSubtitles(once, [zh, en]), [])).toBe(master);
  });

  it('wraps a WebVTT file in a one-segment VOD playlist', () => {
    expect(subtitlePlaylist('zh-CN.vtt', 61.2)).toBe('#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:62\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:62.000,\nzh-CN.vtt\n#EXT-X-ENDLIST\n');
  });

  it('cannot be broken out of by a quote in a track name', () => {
    expect(withSubtitles(master, [{ ...zh, name: 'x",URI="evil' }])).toContain('NAME="x,URI=evil"');
  });
});
