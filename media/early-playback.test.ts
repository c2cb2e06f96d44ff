import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countSegments, isLadderPlayable, markPlaylistsComplete, watchUntilPlayable } from './early-playback.js';

const RUNGS = ['240p', '720p', 'audio'];
const master = ['#EXTM3U', ...RUNGS.flatMap((rung) => ['#EXT-X-STREAM-INF:BANDWIDTH=96800', `${rung}/index.m3u8`]), ''].join('\n');
const playlist = (segments: number, ended = false) => [
  '#EXTM3U', '#EXT-X-TARGETDURATION:4', '#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-MAP:URI="init_0.mp4"',
  ...Array.from({ length: segments }, (_, i) => [`#EXTINF:4.000000,`, `seg_${String(i).padStart(5, '0')}.m4s`]).flat(),
  ...(ended ? ['#EXT-X-ENDLIST'] : []), '',
].join('\n');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-early-'));
  for (const rung of RUNGS) await mkdir(join(dir, rung));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const writeRung = (rung: string, segments: number, ended = false) => writeFile(join(dir, rung, 'index.m3u8'), playlist(segments, ended));

describe('isLadderPlayable', () => {
  it('counts the segments a playlist lists', () => {
    expect(countSegments(playlist(0))).toBe(0);
    expect(countSegments(playlist(3, true))).toBe(3);
  });

  it('waits for the master playlist and for a first segment on every rung', async () => {
    for (const rung of RUNGS) await writeRung(rung, 1);
    expect(await isLadderPlayable(dir, RUNGS)).toBe(false);
    await writeFile(join(dir, 'master.m3u8'), master);
    await writeRung('720p', 0);
    expect(await isLadderPlayable(dir, RUNGS)).toBe(false);
    await writeRung('720p', 1);
    expect(await isLadderPlayable(dir, RUNGS)).toBe(true);
    expect(await isLadderPlayable(dir, RUNGS, 2)).toBe(false);
  });

  it('is not fooled by a master playlist that does not name every rung yet', async () => {
    for (const rung of RUNGS) await writeRung(rung, 2);
    await writeFile(join(dir, 'master.m3u8'), master.replace('audio/index.m3u8', ''));
    expect(await isLadderPlayable(dir, RUNGS)).toBe(false);
  });
});

describe('watchUntilPlayable', () => {
  it('announces the ladder once, as soon as it becomes playable', async () => {
    let calls = 0;
    const playable = new Promise<void>((resolve) => {
      watchUntilPlayable({ dir, rungs: RUNGS, intervalMs: 10, onPlayable: () => { calls++; resolve(); } });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(0);
    await writeFile(join(dir, 'master.m3u8'), master);
    for (const rung of RUNGS) await writeRung(rung, 1);
    await playable;
    for (const rung of RUNGS) await writeRung(rung, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(1);
  });

  it('hands a throwing callback to onError rather than crash the worker with an unhandled rejection', async () => {
    await writeFile(join(dir, 'master.m3u8'), master);
    for (const rung of RUNGS) await writeRung(rung, 1);
    const error = await new Promise((resolve) => {
      watchUntilPlayable({ dir, rungs: RUNGS, onPlayable: () => { throw new Error('database down'); }, onError: resolve });
    });
    expect(error).toMatchObject({ message: 'database down' });
  });

  it('stays silent once stopped', async () => {
    let calls = 0;
    const watch = watchUntilPlayable({ dir, rungs: RUNGS, intervalMs: 10, onPlayable: () => { calls++; } });
    watch.stop();
    await writeFile(join(dir, 'master.m3u8'), master);
    for (const rung of RUNGS) await writeRung(rung, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(0);
  });
});

describe('markPlaylistsComplete', () => {
  it('turns finished EVENT playlists into VOD ones', async () => {
    for (const rung of RUNGS) await writeRung(rung, 2, true);
    await markPlaylistsComplete(dir, RUNGS);
    const text = await readFile(join(dir, '240p', 'index.m3u8'), 'utf8');
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(text).not.toContain('EVENT');
    expect(countSegments(text)).toBe(2);
  });

  it('refuses to call a playlist without EXT-X-ENDLIST complete', async () => {
    for (const rung of RUNGS) await writeRung(rung, 2, rung !== '720p');
    await expect(markPlaylistsComplete(dir, RUNGS)).rejects.toThrow(/720p/);
  });
});
