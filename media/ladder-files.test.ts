import { describe, expect, it } from 'vitest';
import { damagedFiles, isUnchangingMediaFile, missingLadderFiles, parseFileSizes, playlistReferences } from './ladder-files.js';

// The shape ffmpeg's HLS muxer and attachCaptions write (media/hls.ts, hls-subtitles.ts).
const master = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="中文",LANGUAGE="zh-CN",URI="subs/zh-CN.m3u8"',
  '#EXT-X-STREAM-INF:BANDWIDTH=96800,RESOLUTION=426x240,SUBTITLES="subs"',
  '240p/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=492800,RESOLUTION=1280x720,SUBTITLES="subs"',
  '720p/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=35200,CODECS="mp4a.40.2"',
  'audio/index.m3u8',
].join('\n');
const rung = (segments: number) =>
  ['#EXTM3U', '#EXT-X-TARGETDURATION:4', '#EXT-X-MAP:URI="init_0.mp4"', ...Array.from({ length: segments }, (_, i) => `#EXTINF:4.000000,\nseg_0000${i}.m4s`), '#EXT-X-ENDLIST'].join('\n');
const subs = ['#EXTM3U', '#EXT-X-TARGETDURATION:12', '#EXTINF:12,', 'zh-CN.vtt', '#EXT-X-ENDLIST'].join('\n');

function ladder(): Map<string, string> {
  const files = new Map<string, string>([['master.m3u8', master], ['subs/zh-CN.m3u8', subs], ['subs/zh-CN.vtt', 'WEBVTT']]);
  for (const name of ['240p', '720p', 'audio']) {
    files.set(`${name}/index.m3u8`, rung(3));
    files.set(`${name}/init_0.mp4`, 'init');
    for (let i = 0; i < 3; i++) files.set(`${name}/seg_0000${i}.m4s`, 'segment');
  }
  return files;
}

const check = (files: Map<string, string>) => missingLadderFiles(new Set(files.keys()), async (name) => files.get(name) ?? null);

describe('playlistReferences', () => {
  it('returns URI lines and the URI attributes of tags, not other quoted values', () => {
    expect(playlistReferences(master)).toEqual(['subs/zh-CN.m3u8', '240p/index.m3u8', '720p/index.m3u8', 'audio/index.m3u8']);
    expect(playlistReferences(rung(2))).toEqual(['init_0.mp4', 'seg_00000.m4s', 'seg_00001.m4s']);
  });
});

describe('missingLadderFiles', () => {
  it('finds nothing missing in a whole ladder and counts every file the playlists name', async () => {
    expect(await check(ladder())).toEqual({ referenced: 1 + 2 + 3 * (1 + 1 + 3), missing: [] });
  });

  it('names a missing segment, init segment or caption file', async () => {
    const files = ladder();
    files.delete('720p/seg_00001.m4s');
    files.delete('audio/init_0.mp4');
    files.delete('subs/zh-CN.vtt');
    expect((await check(files)).missing.sort()).toEqual(['720p/seg_00001.m4s', 'audio/init_0.mp4', 'subs/zh-CN.vtt']);
  });

  it('names a missing rung playlist once, without guessing at its segments', async () => {
    const files = ladder();
    files.delete('240p/index.m3u8');
    expect((await check(files)).missing).toEqual(['240p/index.m3u8']);
  });

  it('reports only the master playlist when the whole folder is gone', async () => {
    expect(await check(new Map())).toEqual({ referenced: 1, missing: ['master.m3u8'] });
  });

  it('counts a reference outside the ladder as missing, never following it', async () => {
    const files = ladder();
    files.set('720p/index.m3u8', ['#EXTM3U', '#EXT-X-MAP:URI="../../other/init_0.mp4"', '#EXTINF:4,', 'https://example.com/seg.m4s', '#EXTINF:4,', '../../etc/passwd'].join('\n'));
    const reads: string[] = [];
    const report = await missingLadderFiles(new Set(files.keys()), async (name) => {
      reads.push(name);
      return files.get(name) ?? null;
    });
    expect(report.missing).toEqual(['../../other/init_0.mp4', 'https://example.com/seg.m4s', '../../etc/passwd']);
    expect(reads.every((r) => !r.includes('..'))).toBe(true);
  });
});

describe('published file sizes', () => {
  it('names files that are gone or have another size than when published', () => {
    const published = { 'hls/240p/seg_00000.m4s': 100, 'hls/240p/init_0.mp4': 20, 'poster.jpg': 3000 };
    expect(damagedFiles(published, new Map(Object.entries(published)))).toEqual([]);
    expect(damagedFiles(published, new Map([['hls/240p/seg_00000.m4s', 60], ['hls/240p/init_0.mp4', 20]]))).toEqual(['hls/240p/seg_00000.m4s', 'poster.jpg']);
  });

  it('reads only a record of whole-number sizes', () => {
    expect(parseFileSizes('{"poster.jpg":3000}')).toEqual({ 'poster.jpg': 3000 });
    expect(parseFileSizes('{"poster.jpg":"3000"}')).toBeNull();
    expect(parseFileSizes('[1]')).toBeNull();
    expect(parseFileSizes('{"poster.jpg":-1}')).toBeNull();
    expect(parseFileSizes('not json')).toBeNull();
  });

  it('records segments, init segments and stills, not playlists or captions', () => {
    expect(['hls/master.m3u8', 'hls/240p/seg_00000.m4s', 'hls/240p/init_0.mp4', 'hls/subs/zh-CN.vtt', 'poster.jpg', 'thumbnails/thumbnails.vtt'].filter(isUnchangingMediaFile)).toEqual([
      'hls/240p/seg_00000.m4s',
      'hls/240p/init_0.mp4',
      'poster.jpg',
    ]);
  });
});
