import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLectureClip } from './fixtures.js';
import { probeUpload } from './probe.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'media-fixture-')); });
afterAll(() => rm(dir, { recursive: true, force: true }));

function frameHash(path: string, atSeconds: number): string {
  return spawnSync('ffmpeg', ['-v', 'error', '-ss', String(atSeconds), '-i', path, '-frames:v', '1', '-f', 'md5', '-'], { encoding: 'utf8' }).stdout.trim();
}

describe('generateLectureClip', () => {
  it('makes a clip of the requested size, rate and length with mono speech-like audio', async () => {
    const path = join(dir, 'clip.mp4');
    await generateLectureClip(path, { seconds: 4, width: 480, height: 270, fps: 24 });
    const probe = await probeUpload(path, { timeoutMs: 20_000 });
    expect(probe).toMatchObject({
      readable: true,
      summary: { video: { width: 480, height: 270, fps: 24 }, audio: { codec: 'aac', channels: 1 } },
    });
    if (probe.readable) expect(probe.summary.durationSeconds).toBeCloseTo(4, 0);
  });

  it('changes the picture over time, as slides and a speaker do', async () => {
    const path = join(dir, 'moving.mp4');
    await generateLectureClip(path, { seconds: 4, width: 320, height: 180, fps: 10, audio: false });
    expect(frameHash(path, 0.5)).not.toBe(frameHash(path, 3.5));
    const probe = await probeUpload(path, { timeoutMs: 20_000 });
    expect(probe.readable && probe.summary.audio).toBeNull();
  });

  it("draws a lecture's own slides instead of the default ones, and refuses text the filtergraph would misread", async () => {
    const look = { seconds: 1, width: 320, height: 180, fps: 10, audio: false, grain: 0 } as const;
    const slides = [{ title: 'Vectors', lines: ['A vector has a size and a direction'] }];
    await generateLectureClip(join(dir, 'default.mp4'), look);
    await generateLectureClip(join(dir, 'own.mp4'), { ...look, slides });
    await generateLectureClip(join(dir, 'own-again.mp4'), { ...look, slides });
    expect(frameHash(join(dir, 'own.mp4'), 0.5)).toBe(frameHash(join(dir, 'own-again.mp4'), 0.5));
    expect(frameHash(join(dir, 'own.mp4'), 0.5)).not.toBe(frameHash(join(dir, 'default.mp4'), 0.5));
    for (const bad of ['x, y', 'a: b', "it's", '50%', 'a;b', '[x]']) {
      await expect(generateLectureClip(join(dir, 'bad.mp4'), { ...look, slides: [{ title: bad, lines: [] }] })).rejects.toThrow(/custom slides/);
    }
    await expect(generateLectureClip(join(dir, 'bad.mp4'), { ...look, slides, font: "Sans':x" })).rejects.toThrow(/font family/);
  });

  it('refuses odd sizes that H.264 4:2:0 cannot encode', async () => {
    await expect(generateLectureClip(join(dir, 'odd.mp4'), { seconds: 1, width: 321, height: 180, fps: 10 })).rejects.toThrow(/even/);
  });
});
