import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLectureClip } from './fixtures.js';
import { buildLadderCommand, transcodeLadder } from './hls.js';
import { planLadder } from './ladder.js';
import type { TranscodeProgress } from './progress.js';

const plan360 = planLadder({ width: 640, height: 360, fps: 30, hasVideo: true, hasAudio: true });

describe('buildLadderCommand', () => {
  const args = buildLadderCommand({ input: '/in/talk.mp4', inputDemuxer: 'mov', outDir: '/out/ladder', plan: plan360 });
  const valueOf = (flag: string) => args[args.indexOf(flag) + 1];

  it('reads the upload once, through the safety arguments, and splits it per rung', () => {
    expect(args.filter((arg) => arg === '-i')).toHaveLength(1);
    expect(args.join(' ')).toContain('-protocol_whitelist file -format_whitelist');
    expect(args.join(' ')).toContain('-f mov -i file:/in/talk.mp4');
    expect(valueOf('-filter_complex')).toContain('split=3');
    expect(valueOf('-filter_complex')).toContain('asplit=4');
  });

  it('packages HLS fMP4 in 4 s segments with the start rung listed first', () => {
    expect(valueOf('-hls_segment_type')).toBe('fmp4');
    expect(valueOf('-hls_time')).toBe('4');
    expect(valueOf('-hls_playlist_type')).toBe('vod');
    expect(valueOf('-master_pl_name')).toBe('master.m3u8');
    expect(valueOf('-var_stream_map')).toBe('v:0,a:0,name:240p v:1,a:1,name:360p v:2,a:2,name:144p a:3,name:audio');
    expect(valueOf('-force_key_frames:v')).toBe('expr:gte(t,n_forced*4)');
    expect(args.slice(-3)).toEqual(['-protocol_whitelist', 'file', '/out/ladder/%v/index.m3u8']);
  });

  it('uses the real encoder settings unless a test asks for speed', () => {
    // The preset bench:transcode measured (docs/benchmarks.md), with x264's macroblock tree
    // switched back on: it is what keeps a slide that stays up for 20 s cheap.
    expect(valueOf('-preset:v')).toBe('superfast');
    expect(valueOf('-x264-params:v')).toBe('aq-strength=0.8:mbtree=1:rc-lookahead=10');
    expect(valueOf('-tune:v')).toBe('stillimage');
    expect(buildLadderCommand({ input: '/a', outDir: '/b', plan: plan360, encoderPreset: 'ultrafast' })).toContain('ultrafast');
  });

  it('leaves out audio for a silent video and video for an audio-only lecture', () => {
    const silent = buildLadderCommand({ input: '/a', outDir: '/b', plan: { ...plan360, audio: null, video: plan360.video.map((r) => ({ ...r, audioKbps: null })) } });
    expect(silent.join(' ')).not.toContain('[0:a:0]');
    expect(silent[silent.indexOf('-var_stream_map') + 1]).toBe('v:0,name:240p v:1,name:360p v:2,name:144p');
    const audioOnly = buildLadderCommand({ input: '/a', outDir: '/b', plan: planLadder({ width: 0, height: 0, fps: null, hasVideo: false, hasAudio: true }) });
    expect(audioOnly).not.toContain('libx264');
    expect(audioOnly[audioOnly.indexOf('-var_stream_map') + 1]).toBe('a:0,name:audio');
  });
});

describe('transcodeLadder on a generated 6 s 640x360 lecture', () => {
  let dir: string;
  let clip: string;
  let outDir: string;
  const updates: TranscodeProgress[] = [];
  const read = (path: string) => readFile(join(outDir, path), 'utf8');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-hls-'));
    clip = join(dir, 'lecture.mp4');
    outDir = join(dir, 'lectures', 'ladder');
    await generateLectureClip(clip, { seconds: 6, width: 640, height: 360, fps: 30 });
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'stale.txt'), 'from an earlier run');
    await transcodeLadder({
      input: clip, inputDemuxer: 'mov', outDir, plan: plan360, durationSeconds: 6,
      timeoutMs: 60_000, encoderPreset: 'ultrafast', onProgress: (update) => updates.push(update),
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists 360p, 240p, 144p and audio-only in master.m3u8, nothing above the source', async () => {
    const master = await read('master.m3u8');
    const variants = master.split('\n').filter((line) => line.endsWith('.m3u8'));
    expect(variants).toEqual(['240p/index.m3u8', '360p/index.m3u8', '144p/index.m3u8', 'audio/index.m3u8']);
    expect(master).toContain('RESOLUTION=640x360');
    expect(master).not.toMatch(/RESOLUTION=\d+x(480|720)/);
    for (const [, bandwidth, resolution] of master.matchAll(/BANDWIDTH=(\d+),RESOLUTION=\d+x(\d+)/g)) {
      const ceiling = { 360: 180_000, 240: 100_000, 144: 70_000 }[Number(resolution)];
      expect(Number(bandwidth)).toBeLessThanOrEqual(ceiling!);
    }
  });

  it('writes every rung as fMP4 with segments of at most 4.1 s, all video rungs cut alike', async () => {
    const durations: Record<string, number[]> = {};
    for (const rung of ['360p', '240p', '144p', 'audio']) {
      const playlist = await read(`${rung}/index.m3u8`);
      expect(playlist).toMatch(/#EXT-X-MAP:URI="init_\d\.mp4"/);
      expect(playlist).toContain('#EXT-X-ENDLIST');
      durations[rung] = [...playlist.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
      expect(durations[rung]!.slice(0, -1).every((d) => d <= 4.1)).toBe(true);
      expect(durations[rung]!.reduce((a, b) => a + b, 0)).toBeCloseTo(6, 0);
    }
    expect(durations['240p']).toEqual(durations['360p']);
    expect(durations['144p']).toEqual(durations['360p']);
  });

  it('starts every video segment with a keyframe at the same instant on every rung', async () => {
    const starts: Record<string, string[]> = {};
    for (const rung of ['360p', '240p', '144p']) {
      const files = (await readdir(join(outDir, rung))).sort();
      const init = await readFile(join(outDir, rung, files.find((f) => f.startsWith('init'))!));
      starts[rung] = [];
      for (const segment of files.filter((f) => f.endsWith('.m4s'))) {
        const joined = join(dir, `${rung}-${segment}.mp4`);
        await writeFile(joined, Buffer.concat([init, await readFile(join(outDir, rung, segment))]));
        const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-read_intervals', '%+#1',
          '-show_entries', 'frame=key_frame,pts_time', '-of', 'csv=p=0', joined], { encoding: 'utf8' });
        const [keyFrame, ptsTime] = probe.stdout.trim().split('\n')[0]!.split(',');
        expect(keyFrame).toBe('1');
        starts[rung]!.push(Number(ptsTime).toFixed(3));
      }
    }
    // Every rung is shifted alike by the AAC encoder's priming delay (about 21 ms).
    const first = Number(starts['360p']![0]);
    expect(first).toBeLessThan(0.05);
    expect(starts['360p']!.map((t) => (Number(t) - first).toFixed(2))).toEqual(['0.00', '4.00']);
    expect(starts['240p']).toEqual(starts['360p']);
    expect(starts['144p']).toEqual(starts['360p']);
  });

  it('makes the audio-only rung AAC mono', async () => {
    const audioDir = join(outDir, 'audio');
    const init = (await readdir(audioDir)).find((f) => f.startsWith('init'))!;
    const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,channels',
      '-of', 'json', join(audioDir, init)], { encoding: 'utf8' });
    expect(JSON.parse(probe.stdout).streams).toEqual([{ codec_type: 'audio', codec_name: 'aac', channels: 1 }]);
  });

  it('copies audio encoded once that is exactly what the ladder would have encoded for each rung', async () => {
    // The same ladder with its audio encoded inside the one ffmpeg run, the way it was built before.
    const direct = join(dir, 'direct');
    const run = spawnSync('ffmpeg', buildLadderCommand({ input: clip, inputDemuxer: 'mov', outDir: direct, plan: plan360, encoderPreset: 'ultrafast' }), { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const audioPackets = (ladder: string, rung: string) => {
      const files = readdirSync(join(ladder, rung)).sort();
      const joined = join(dir, `${rung}-${ladder === direct ? 'direct' : 'copied'}.mp4`);
      writeFileSync(joined, Buffer.concat([...files.filter((f) => f.startsWith('init')), ...files.filter((f) => f.endsWith('.m4s'))].map((f) => readFileSync(join(ladder, rung, f)))));
      return spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'a', '-show_entries', 'packet=pts,duration,size', '-show_data_hash', 'md5', '-of', 'csv', joined], { encoding: 'utf8' }).stdout;
    };
    for (const rung of ['360p', '240p', 'audio']) {
      const copied = audioPackets(outDir, rung);
      expect(copied.split('\n').length).toBeGreaterThan(100);
      expect(copied).toEqual(audioPackets(direct, rung));
      const init = (ladder: string) => readFileSync(join(ladder, rung, readdirSync(join(ladder, rung)).find((f) => f.startsWith('init'))!));
      expect(init(outDir).equals(init(direct))).toBe(true);
    }
    expect(await read('master.m3u8')).toEqual(await readFile(join(direct, 'master.m3u8'), 'utf8'));
  });

  it('reported rising progress ending in done, replaced the old folder and left no temp folder', async () => {
    expect(updates.at(-1)).toMatchObject({ done: true, percent: 100 });
    const percents = updates.map((u) => u.percent ?? 0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(await readdir(join(dir, 'lectures'))).toEqual(['ladder']);
    expect(await readdir(outDir)).not.toContain('stale.txt');
  });

  it('removes its temp folder and keeps the previous ladder when aborted', async () => {
    const controller = new AbortController();
    const run = transcodeLadder({
      input: clip, inputDemuxer: 'mov', outDir, plan: plan360, durationSeconds: 6, timeoutMs: 60_000,
      encoderPreset: 'ultrafast', signal: controller.signal, onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ failure: 'aborted' });
    expect(await readdir(join(dir, 'lectures'))).toEqual(['ladder']);
    expect(await read('master.m3u8')).toContain('#EXTM3U');
  });

  it('fails, leaving the previous ladder, when an upload cut short still probes fine', async () => {
    // A faststart MP4 keeps its index at the front, so a truncated copy probes as 6 s long.
    const cut = join(dir, 'faststart-cut.mp4');
    spawnSync('ffmpeg', ['-v', 'error', '-i', clip, '-c', 'copy', '-movflags', '+faststart', '-y', cut]);
    await truncate(cut, Math.floor((await stat(cut)).size / 2));
    await expect(transcodeLadder({
      input: cut, inputDemuxer: 'mov', outDir, plan: plan360, durationSeconds: 6, timeoutMs: 60_000, encoderPreset: 'ultrafast',
    })).rejects.toThrow(/probably truncated/);
    expect(await readdir(join(dir, 'lectures'))).toEqual(['ladder']);
    expect(await read('master.m3u8')).toContain('#EXTM3U');
  });
});
