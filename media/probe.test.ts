import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeInputArgs } from './ffmpeg-safety.js';
import { generateLectureClip } from './fixtures.js';
import type { MediaSummary, UploadProbe } from './probe.js';
import { checkUploadLimits, parseProbeOutput, probeUpload } from './probe.js';

const probeOptions = { timeoutMs: 20_000 };
let dir: string;
let goodClip: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'media-probe-'));
  goodClip = join(dir, 'good.mp4');
  await generateLectureClip(goodClip, { seconds: 2, width: 320, height: 180, fps: 25 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function summary(overrides: Partial<MediaSummary> = {}): UploadProbe {
  return {
    readable: true,
    summary: {
      durationSeconds: 600,
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      demuxer: 'mov',
      video: { index: 0, codec: 'h264', width: 1280, height: 720, sampleAspectRatio: 1, fps: 30 },
      audio: { index: 1, codec: 'aac', channels: 2, sampleRate: 48_000 },
      ...overrides,
    },
  };
}

describe('checkUploadLimits', () => {
  it('accepts an ordinary lecture and an audio-only recording', () => {
    expect(checkUploadLimits(summary())).toEqual([]);
    expect(checkUploadLimits(summary({ video: null }))).toEqual([]);
  });

  it('gives each problem a stable code with the limit the teacher must meet', () => {
    expect(checkUploadLimits({ readable: false, detail: 'x' })).toEqual([{ code: 'unreadable' }]);
    expect(checkUploadLimits(summary({ video: null, audio: null }))).toEqual([{ code: 'no-media-stream' }]);
    expect(checkUploadLimits(summary({ durationSeconds: 14_401 }))).toEqual([{ code: 'too-long', maxSeconds: 14_400 }]);
    expect(checkUploadLimits(summary({ durationSeconds: null }))).toEqual([{ code: 'unknown-duration' }]);
    const video = { index: 0, codec: 'h264', width: 1280, height: 720, sampleAspectRatio: 1, fps: 30 };
    expect(checkUploadLimits(summary({ video: { ...video, height: 4100 } }))).toEqual([{ code: 'dimensions-too-large', max: 4096 }]);
    // Anamorphic: 3200 coded pixels shown 1.5x wide is 4800 on screen.
    expect(checkUploadLimits(summary({ video: { ...video, width: 3200, sampleAspectRatio: 1.5 } })))
      .toEqual([{ code: 'dimensions-too-large', max: 4096 }]);
    expect(checkUploadLimits(summary({ video: { ...video, fps: null } }))).toEqual([{ code: 'bad-frame-rate' }]);
    expect(checkUploadLimits(summary({ video: { ...video, fps: 1000 } }))).toEqual([{ code: 'bad-frame-rate' }]);
  });
});

describe('parseProbeOutput', () => {
  it('turns rotated phone video to display orientation and skips cover art', () => {
    const probe = parseProbeOutput(JSON.stringify({
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '12.5' },
      streams: [
        { index: 0, codec_type: 'video', codec_name: 'mjpeg', width: 600, height: 600, disposition: { attached_pic: 1 } },
        { index: 1, codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, avg_frame_rate: '30000/1001',
          side_data_list: [{ rotation: -90 }] },
        { index: 2, codec_type: 'audio', codec_name: 'aac', channels: 1, sample_rate: '44100' },
      ],
    }));
    expect(probe).toEqual({
      readable: true,
      summary: {
        durationSeconds: 12.5,
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
        demuxer: 'mov',
        video: { index: 1, codec: 'h264', width: 1080, height: 1920, sampleAspectRatio: 1, fps: 30000 / 1001 },
        audio: { index: 2, codec: 'aac', channels: 1, sampleRate: 44_100 },
      },
    });
  });

  it('refuses output that is not JSON or names a container outside the allow-list', () => {
    expect(parseProbeOutput('').readable).toBe(false);
    expect(parseProbeOutput(JSON.stringify({ format: { format_name: 'hls' }, streams: [] })).readable).toBe(false);
  });
});

describe('probeUpload on real files', () => {
  it('accepts a good small clip and reports what ffprobe found', async () => {
    const probe = await probeUpload(goodClip, probeOptions);
    expect(checkUploadLimits(probe)).toEqual([]);
    expect(probe).toMatchObject({
      readable: true,
      summary: {
        demuxer: 'mov',
        video: { codec: 'h264', width: 320, height: 180, fps: 25 },
        audio: { codec: 'aac', channels: 1, sampleRate: 48_000 },
      },
    });
    if (probe.readable) expect(probe.summary.durationSeconds).toBeCloseTo(2, 1);
  });

  it('calls a text file renamed .mp4 unreadable', async () => {
    const path = join(dir, 'notes.mp4');
    await writeFile(path, 'These are my lecture notes, not a video.\n'.repeat(50));
    expect(checkUploadLimits(await probeUpload(path, probeOptions))).toEqual([{ code: 'unreadable' }]);
  });

  it('rejects a truncated upload', async () => {
    const path = join(dir, 'truncated.mp4');
    await writeFile(path, await readFile(goodClip));
    await truncate(path, Math.floor((await stat(path)).size / 2));
    expect(checkUploadLimits(await probeUpload(path, probeOptions)).length).toBeGreaterThan(0);
  });

  it('rejects a frame larger than 4096 pixels', async () => {
    const path = join(dir, 'wide.mp4');
    await generateLectureClip(path, { seconds: 1, width: 4100, height: 64, fps: 1, audio: false });
    expect(checkUploadLimits(await probeUpload(path, probeOptions))).toEqual([{ code: 'dimensions-too-large', max: 4096 }]);
  });
});

describe('probeUpload never follows references inside an upload', () => {
  const playlistTo = (target: string) =>
    `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n${target}\n#EXT-X-ENDLIST\n`;

  /** Proves a fixture is a working attack: plain ffprobe, without our arguments, follows it. */
  function unsafeProbeFindsStreams(path: string): boolean {
    const run = spawnSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', path], { encoding: 'utf8' });
    return run.status === 0 && (JSON.parse(run.stdout) as { streams?: unknown[] }).streams?.length !== 0;
  }

  /** ffprobe itself must refuse, before reading anything: probeUpload's JSON check is only a second line. */
  function safeProbeRefuses(path: string): string {
    const run = spawnSync('ffprobe', ['-v', 'error', '-show_streams', ...safeInputArgs(path)], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    return run.stderr;
  }

  it('refuses an HLS playlist saved as .mp4 that points at another local media file', async () => {
    const path = join(dir, 'playlist.mp4');
    await writeFile(path, playlistTo(`file://${goodClip}`));
    expect(unsafeProbeFindsStreams(path)).toBe(true);
    expect(safeProbeRefuses(path)).toContain('Format not on whitelist');
    expect(checkUploadLimits(await probeUpload(path, probeOptions))).toEqual([{ code: 'unreadable' }]);
  });

  // ffmpeg's hls demuxer also refuses extension-less segments such as passwd, so this case
  // alone would not catch a missing whitelist; the local-media cases around it do.
  it('refuses an HLS playlist pointing at /etc/passwd, .m3u8 or .mp4', async () => {
    for (const name of ['passwd.m3u8', 'passwd.mp4']) {
      const path = join(dir, name);
      await writeFile(path, playlistTo('file:///etc/passwd'));
      safeProbeRefuses(path);
      expect(checkUploadLimits(await probeUpload(path, probeOptions))).toEqual([{ code: 'unreadable' }]);
    }
  });

  it('does not even open the media file a playlist names (checked with strace)', async () => {
    // `npm test` installs strace; without it this check must fail, not pass unseen.
    expect(spawnSync('strace', ['-V']).status, 'strace is installed').toBe(0);
    const path = join(dir, 'traced.mp4');
    const trace = join(dir, 'trace.txt');
    await writeFile(path, playlistTo(`file://${goodClip}`));
    spawnSync('strace', ['-f', '-e', 'trace=open,openat', '-o', trace, 'ffprobe', '-v', 'error', ...safeInputArgs(path)]);
    const opened = await readFile(trace, 'utf8');
    expect(opened).toContain('traced.mp4');
    expect(opened).not.toContain(goodClip);
  });

  it('refuses a concat list saved as .mp4', async () => {
    const path = join(dir, 'list.mp4');
    await writeFile(path, "ffconcat version 1.0\nfile 'good.mp4'\n");
    expect(unsafeProbeFindsStreams(path)).toBe(true);
    expect(safeProbeRefuses(path)).toContain('Format not on whitelist');
    expect(checkUploadLimits(await probeUpload(path, probeOptions))).toEqual([{ code: 'unreadable' }]);
  });
});
