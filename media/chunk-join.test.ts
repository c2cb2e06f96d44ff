import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinChunkLadders, parseMediaPlaylist, type JoinedRung } from './chunk-join.js';
import { planChunks } from './chunks.js';
import { generateLectureClip } from './fixtures.js';
import { readFragmentTimes, readTrackTimescales } from './fmp4-timeline.js';
import { transcodeLadder } from './hls.js';
import { planLadder } from './ladder.js';
import { concatenateRung as concatenate, decodeThroughMaster, ffprobeFrames, keyframeTimes, timelineFaults as faults } from '../tests/support/ladder-inspection.js';

// A 26 s lecture in chunks of 12 s (0-12, 12-26: the 2 s tail joins the last chunk),
// joined, next to the same lecture encoded whole.
const SECONDS = 26;
const FPS = 25;
let dir = '';
let joined: JoinedRung[] = [];
const rungs = ['360p', '240p', '144p', 'audio'];
const plan = planLadder({ width: 640, height: 360, fps: FPS, hasVideo: true, hasAudio: true });
const chunks = planChunks(SECONDS, plan.segmentSeconds, { chunkedFromSeconds: 20, chunkSeconds: 12 });

const concatenateRung = (ladder: string, rung: string) => concatenate(ladder, rung, join(dir, `${ladder.split('/').pop()}-${rung}.mp4`));
const timelineFaults = (frames: { pts: number; key: boolean }[], fps: number) => faults(frames, fps, SECONDS);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edu-chunks-'));
  const input = join(dir, 'lecture.mp4');
  await generateLectureClip(input, { seconds: SECONDS, width: 640, height: 360, fps: FPS });
  const common = { input, plan, encoderPreset: 'ultrafast' as const, timeoutMs: 60_000 };
  for (const chunk of chunks) {
    await transcodeLadder({ ...common, outDir: join(dir, 'chunks', String(chunk.index)), durationSeconds: chunk.expectedSeconds, clip: chunk });
  }
  await transcodeLadder({ ...common, outDir: join(dir, 'whole'), durationSeconds: SECONDS });
  joined = await joinChunkLadders({ chunks: chunks.map((c) => ({ dir: join(dir, 'chunks', String(c.index)), startSeconds: c.startSeconds })), rungs, outDir: join(dir, 'joined') });
}, 180_000);

afterAll(() => process.env.KEEP ? undefined : rm(dir, { recursive: true, force: true }));

describe('joining chunk ladders', () => {
  it('was given two chunks', () => {
    expect(chunks.map((c) => [c.startSeconds, c.durationSeconds])).toEqual([[0, 12], [12, null]]);
  });

  it('lists every segment of the lecture in every rung, covering its whole duration', async () => {
    for (const rung of rungs) {
      const playlist = parseMediaPlaylist(await readFile(join(dir, 'joined', rung, 'index.m3u8'), 'utf8'));
      const total = playlist.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
      expect(total).toBeCloseTo(SECONDS, 1);
      // The audio-only rung's last segment also carries the AAC encoder's final padding.
      expect(playlist.segments.map((s) => s.durationSeconds.toFixed(1))).toEqual(['4.0', '4.0', '4.0', '4.0', '4.0', '4.0', '2.0']);
      expect(joined.find((j) => j.name === rung)).toMatchObject({ segments: 7 });
      const files = await readdir(join(dir, 'joined', rung));
      expect(files.filter((f) => f.endsWith('.m4s')).sort()).toEqual(playlist.segments.map((s) => s.uri));
    }
    const master = await readFile(join(dir, 'joined', 'master.m3u8'), 'utf8');
    expect(master).toBe(await readFile(join(dir, 'whole', 'master.m3u8'), 'utf8'));
  });

  it('gives every video fragment the decode time it has when the lecture is encoded whole', async () => {
    for (const rung of ['360p', '240p', '144p']) {
      const times = async (ladder: string) => {
        const playlist = parseMediaPlaylist(await readFile(join(dir, ladder, rung, 'index.m3u8'), 'utf8'));
        const timescales = readTrackTimescales(await readFile(join(dir, ladder, rung, playlist.initUri)));
        const videoTrack = [...timescales.keys()][0]!;
        const segments = await Promise.all(playlist.segments.map((s) => readFile(join(dir, ladder, rung, s.uri))));
        return segments.map((s) => Number(readFragmentTimes(s).find((t) => t.trackId === videoTrack)!.baseDecodeTime) / timescales.get(videoTrack)!);
      };
      expect(await times('joined')).toEqual([0, 4, 8, 12, 16, 20, 24]);
      expect(await times('joined')).toEqual(await times('whole'));
    }
  });

  it('plays as one continuous timeline: keyframes on the segment grid, no jumps, nothing missing', async () => {
    for (const rung of ['360p', '144p']) {
      const frames = ffprobeFrames(await concatenateRung(join(dir, 'joined'), rung), 'v:0');
      const fps = rung === '144p' ? 12.5 : FPS;
      expect(timelineFaults(frames, fps)).toEqual([]);
      expect(frames[0]!.pts).toBeLessThan(0.05); // the AAC priming delay shifts every rung alike
      expect(keyframeTimes(frames)).toEqual(['0.00', '4.00', '8.00', '12.00', '16.00', '20.00', '24.00']);
    }
    const audio = ffprobeFrames(await concatenateRung(join(dir, 'joined'), 'audio'), 'a:0');
    expect(audio.at(-1)!.pts).toBeGreaterThan(SECONDS - 0.1);
    // A chunk's first AAC frame (the encoder's priming) overlaps the previous chunk's last.
    const steps = audio.slice(1).map((f, i) => f.pts - audio[i]!.pts);
    expect(Math.max(...steps)).toBeLessThan(0.033);
  });

  it('is what a player decodes through the master playlist', () => {
    const decode = decodeThroughMaster(join(dir, 'joined'));
    expect(decode.status, decode.stderr).toBe(0);
    expect(decode.stderr).toBe('');
  });

  it('unshifted, the chunks would restart the timeline: the checks above can see that', async () => {
    const naive = join(dir, 'naive');
    await cp(join(dir, 'joined'), naive, { recursive: true });
    const second = await readFile(join(dir, 'chunks', '1', '360p', 'seg_00000.m4s'));
    await writeFile(join(naive, '360p', 'seg_00003.m4s'), second);
    const frames = ffprobeFrames(await concatenateRung(naive, '360p'), 'v:0');
    expect(timelineFaults(frames, FPS).length).toBeGreaterThan(0);
  });

  it('refuses chunks whose init segments differ, and leaves no half-made ladder', async () => {
    const odd = join(dir, 'odd-chunk');
    await cp(join(dir, 'chunks', '1'), odd, { recursive: true });
    const initName = (await readdir(join(odd, '240p'))).find((f) => f.startsWith('init'))!;
    const init = await readFile(join(odd, '240p', initName));
    init.writeUInt8(init.readUInt8(init.length - 1) ^ 0xff, init.length - 1);
    await writeFile(join(odd, '240p', initName), init);
    await expect(joinChunkLadders({ chunks: [{ dir: join(dir, 'chunks', '0'), startSeconds: 0 }, { dir: odd, startSeconds: 12 }], rungs, outDir: join(dir, 'refused') })).rejects.toThrow(/different init segment/);
    expect((await readdir(dir)).filter((f) => f.includes('refused'))).toEqual([]);
  });
});
