import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLectureClip } from './fixtures.js';
import { transcodeLadder } from './hls.js';
import { planLadder } from './ladder.js';

const plan = planLadder({ width: 640, height: 360, fps: 25, hasVideo: true, hasAudio: true });
let dir: string;
let clip: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-hls-early-'));
  clip = join(dir, 'lecture.mp4');
  await generateLectureClip(clip, { seconds: 12, width: 640, height: 360, fps: 25 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const transcode = (outDir: string, input = clip, onPlayable?: Parameters<typeof transcodeLadder>[0]['onPlayable']) => transcodeLadder({
  input, inputDemuxer: 'mov', outDir, plan, durationSeconds: 12, timeoutMs: 60_000, encoderPreset: 'ultrafast', onPlayable,
});

describe('transcodeLadder with onPlayable', () => {
  it('publishes a first ladder in place, announces it once, and ends with VOD playlists', async () => {
    const outDir = join(dir, 'first', 'ladder');
    const seen: { master: string; siblings: string[]; whileEncoding: boolean; beforeResolve: boolean }[] = [];
    let resolved = false;
    const run = transcode(outDir, clip, ({ masterPlaylistPath, whileEncoding }) => {
      // Synchronous reads: this is the moment the worker would tell students the lecture can be played.
      const master = spawnSync('cat', [masterPlaylistPath], { encoding: 'utf8' }).stdout;
      const siblings = spawnSync('ls', ['-A', join(dir, 'first')], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      seen.push({ master, siblings, whileEncoding, beforeResolve: !resolved });
    });
    await run.then(() => { resolved = true; });
    expect(spawnSync('ls', ['-A', join(dir, 'first')], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)).toEqual(['ladder']);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.beforeResolve).toBe(true);
    expect(seen[0]!.master).toContain('240p/index.m3u8');
    // Written at its final address: the URL students start with keeps working to the end.
    // (beside the audio encoded once beforehand, media/hls.ts encodeAudioOnce)
    expect(seen[0]!.siblings.filter((name) => !name.startsWith('.ladder.partial-audio-'))).toEqual(['ladder']);
    for (const rung of [...plan.video.map((r) => r.name), 'audio']) {
      const playlist = await readFile(join(outDir, rung, 'index.m3u8'), 'utf8');
      expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(playlist).toContain('#EXT-X-ENDLIST');
    }
  });

  it('keeps an existing ladder until the new one is complete, then announces it', async () => {
    const outDir = join(dir, 'again', 'ladder');
    await transcode(outDir);
    const announcements: boolean[] = [];
    await transcode(outDir, clip, ({ whileEncoding }) => announcements.push(whileEncoding));
    expect(announcements).toEqual([false]);
    expect(await readdir(join(dir, 'again'))).toEqual(['ladder']);
  });

  it('removes a first ladder that fails half-way, leaving nothing behind', async () => {
    const cut = join(dir, 'faststart-cut.mp4');
    spawnSync('ffmpeg', ['-v', 'error', '-i', clip, '-c', 'copy', '-movflags', '+faststart', '-y', cut]);
    await truncate(cut, Math.floor((await stat(cut)).size / 2));
    const outDir = join(dir, 'failed', 'ladder');
    await expect(transcode(outDir, cut, () => undefined)).rejects.toThrow(/probably truncated/);
    expect(await readdir(join(dir, 'failed'))).toEqual([]);
  });
});
