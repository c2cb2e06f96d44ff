import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebVtt } from './captions.js';
import { generateLectureClip } from './fixtures.js';
import { buildThumbnailTrack, renderPoster, renderSeekThumbnails, stillsTimeoutMs } from './thumbnails.js';

let dir: string;
let clip: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-stills-'));
  clip = join(dir, 'lecture.mp4');
  await generateLectureClip(clip, { seconds: 6, width: 1280, height: 720, fps: 25 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function imageSize(path: string): string {
  return spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', path], { encoding: 'utf8' }).stdout.trim();
}

describe('renderPoster', () => {
  it('writes a JPEG no larger than 640x360 and no partial file', async () => {
    const poster = join(dir, 'poster.jpg');
    await renderPoster(clip, poster, { durationSeconds: 6, timeoutMs: 20_000, inputDemuxer: 'mov' });
    expect(imageSize(poster)).toBe('mjpeg,640,360');
    expect((await readdir(dir)).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('fails clearly when asked for a frame past the end', async () => {
    await expect(renderPoster(clip, join(dir, 'late.jpg'), { atSeconds: 60, timeoutMs: 20_000 })).rejects.toThrow(/No frame at 60s/);
    expect(await readdir(dir)).not.toContain('late.jpg');
  });
});

describe('renderSeekThumbnails', () => {
  it('writes a sprite sheet and a WebVTT track with one cue every 2 s', async () => {
    const outDir = join(dir, 'thumbs');
    const result = await renderSeekThumbnails(clip, outDir, { everySeconds: 2, durationSeconds: 6, timeoutMs: 20_000 });
    expect(result.count).toBe(3);
    expect(result.sheetPaths).toEqual([join(outDir, 'sheet-0001.jpg')]);
    expect(imageSize(result.sheetPaths[0]!)).toBe('mjpeg,800,450');
    const track = parseWebVtt(await readFile(result.vttPath, 'utf8'));
    expect(track.ok && track.cues.map((cue) => [cue.startSeconds, cue.endSeconds, cue.text])).toEqual([
      [0, 2, 'sheet-0001.jpg#xywh=0,0,160,90'],
      [2, 4, 'sheet-0001.jpg#xywh=160,0,160,90'],
      [4, 6, 'sheet-0001.jpg#xywh=320,0,160,90'],
    ]);
  });
});

describe('buildThumbnailTrack', () => {
  it('moves to the next sheet after 25 tiles and ends the last cue at the duration', () => {
    const track = parseWebVtt(buildThumbnailTrack({ count: 27, everySeconds: 10, durationSeconds: 265 }));
    if (!track.ok) throw new Error(track.problem.reason);
    expect(track.cues[24]?.text).toBe('sheet-0001.jpg#xywh=640,360,160,90');
    expect(track.cues[25]?.text).toBe('sheet-0002.jpg#xywh=0,0,160,90');
    expect(track.cues.at(-1)).toMatchObject({ startSeconds: 260, endSeconds: 265 });
  });
});

describe('stillsTimeoutMs', () => {
  it('gives a long lecture time to be decoded once more (a 60-minute one timed out at a flat 120 s)', () => {
    expect(stillsTimeoutMs(null)).toBe(120_000);
    expect(stillsTimeoutMs(60)).toBe(135_000);
    expect(stillsTimeoutMs(3600)).toBe(1_020_000);
    expect(stillsTimeoutMs(4 * 3600)).toBeGreaterThan(stillsTimeoutMs(3600));
  });
});
