import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { isLadderPlayable } from '../../media/early-playback.js';
import { generateLectureClip } from '../../media/fixtures.js';
import { S3MediaStorage } from '../../workers/storage/s3-storage.js';
import { FormClient } from '../support/browserless.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { freePort, freezeProcesses, run, startProcess, waitFor, type Running } from '../support/processes.js';
import { startS3Server, type RunningS3 } from '../support/s3-server.js';

// A multi-node set-up in miniature: a web node and a worker that share no media folder
// (each its own MEDIA_ROOT) and keep published video in an S3-compatible server. The
// worker publishes a real lecture's lowest rungs while it still encodes; a student
// watches them through the web node, which proxies from the bucket.
const prefix = `s3early${Date.now()}`;
let s3: RunningS3;
let bucket: S3MediaStorage;
let workerRoot = '';
let webRoot = '';
let baseUrl = '';
let queues: Record<'video' | 'maintenance', Queue>;
const running: Running[] = [];
let lessonId = '';
let videoId = '';

async function video() {
  const [row] = await testSql()<{ status: string; storage_prefix: string | null; progress_percent: number; renditions: { name: string; playlist: string }[] }[]>`
    select status, storage_prefix, progress_percent, renditions from videos where id = ${videoId}`;
  return row!;
}

beforeAll(async () => {
  s3 = await startS3Server();
  bucket = new S3MediaStorage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
  workerRoot = await mkdtemp(path.join(tmpdir(), 'edu-s3-worker-'));
  webRoot = await mkdtemp(path.join(tmpdir(), 'edu-s3-web-'));
  await mkdir(path.join(workerRoot, 'uploads'), { recursive: true });
  // Long enough that the lowest rungs play well before the whole ladder is done.
  const clip = path.join(workerRoot, 'source.mp4');
  await generateLectureClip(clip, { seconds: 90, width: 1280, height: 720, fps: 25 });

  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...testServiceEnv(),
    ...s3.env,
    // The upload is put in the worker's folder by hand below (tus into the bucket: s3-upload-resume.test.ts).
    UPLOAD_STORAGE: 'local',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    SESSION_SECRET: randomBytes(32).toString('hex'),
    SECURE_COOKIES: '0',
    TRUST_PROXY: '1',
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: prefix,
    VIDEO_ENCODER_PRESET: 'veryfast',
  };
  running.push(startProcess('workers/index.ts', { ...env, MEDIA_ROOT: workerRoot }));
  running.push(startProcess('app/server/main.ts', { ...env, MEDIA_ROOT: webRoot }));
  await waitFor(async () => (await fetch(`${baseUrl}/healthz`)).ok, 60_000, 'the S3-backed web node to report healthy').catch((error) => {
    console.error(running.map((r) => r.output()).join('\n'));
    throw error;
  });
  const connection = { url: testServiceEnv().REDIS_URL };
  queues = { video: new Queue('video', { connection, prefix }), maintenance: new Queue('maintenance', { connection, prefix }) };

  const [course] = await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
  const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${course!.id}, ${2000 + Math.floor(Math.random() * 1e6)}, '对象存储测试') returning id`;
  lessonId = lesson!.id;
  const uploadId = randomUUID();
  await copyFile(clip, path.join(workerRoot, 'uploads', uploadId));
  const [row] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status, duration_seconds) values (${lessonId}, ${uploadId}, 1, 'processing', 90) returning id`;
  videoId = row!.id;
}, 300_000);

afterAll(async () => {
  // A node that died during the tests says why.
  for (const r of running) if (r.child.exitCode !== null || r.child.signalCode !== null) console.error(`exited early (${r.child.exitCode ?? r.child.signalCode}):\n${r.output()}`);
  for (const r of running) r.child.kill('SIGTERM');
  await Promise.all(running.map((r) => r.exited));
  await Promise.all(Object.values(queues ?? {}).map(async (q) => {
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }));
  await run('pkill', ['-f', workerRoot]);
  bucket?.destroy();
  await s3?.close();
  await Promise.all([workerRoot, webRoot].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
  await closeTestSql();
});

const rungsOf = (master: string) => [...new Set([...master.matchAll(/(\w+)\/index\.m3u8/g)].map((m) => m[1]!))];

/** True once the ladder ffmpeg writes in the worker's staging folder has a segment in every rung. */
async function stagingLadderPlayable(): Promise<boolean> {
  const staging = path.join(workerRoot, 'staging', videoId);
  const files = await readdir(staging, { recursive: true }).catch(() => [] as string[]);
  const master = files.find((f) => path.basename(f) === 'master.m3u8');
  if (!master) return false;
  const dir = path.join(staging, path.dirname(master));
  const rungs = rungsOf(await readFile(path.join(dir, 'master.m3u8'), 'utf8').catch(() => ''));
  return rungs.length > 0 && isLadderPlayable(dir, rungs);
}

/** The signed folder a signed-in student is handed on the lesson page. */
async function studentMediaBase(): Promise<string> {
  const student = new FormClient(baseUrl);
  await student.login('student@demo.edu.cn', demoPassword);
  const html = await (await student.get(`/lessons/${lessonId}`)).text();
  const base = /\/media\/[0-9a-f-]{36}\/\d+\/[\w-]+\//.exec(html)?.[0];
  if (!base) throw new Error('the lesson page offered no video');
  return baseUrl + base;
}

describe('a lecture published to S3-compatible storage', () => {
  it('lets a student start on the lowest rung while the higher rungs still encode', async () => {
    await queues.video.add('transcode-video', { videoId }, { jobId: `transcode-video--${videoId}`, attempts: 2 });
    // Once every rung has its first segment, the encoder is held still until the checks
    // below are done: a fast machine otherwise finished this clip before the student's
    // first request (CI, stop 14), and the early state was never seen.
    await waitFor(async () => {
      if (!(await stagingLadderPlayable())) return false;
      const frozen = await freezeProcesses(`ffmpeg .*${workerRoot}`);
      // Let go when the test ends, passed or failed.
      onTestFinished(() => frozen.resume());
      return frozen.pids.length > 0;
    }, 240_000, 'every rung’s first segment in the worker’s staging folder');
    await waitFor(async () => (await video()).storage_prefix !== null, 60_000, 'the lowest rungs to be published early');
    const base = await studentMediaBase();
    expect(base).toContain(`/media/${videoId}/`);

    const master = await fetch(`${base}hls/master.m3u8`);
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const rungs = rungsOf(await master.text());
    expect(rungs).toContain('240p');
    const low = await fetch(`${base}hls/240p/index.m3u8`);
    const playlist = await low.text();
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(playlist).not.toContain('#EXT-X-ENDLIST');
    const firstSegment = /^[\w.-]+\.m4s$/m.exec(playlist)![0];
    const init = await fetch(`${base}hls/240p/${/URI="([^"]+)"/.exec(playlist)![1]}`);
    expect(init.status).toBe(200);
    const segment = await fetch(`${base}hls/240p/${firstSegment}`);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/iso.segment');
    expect(segment.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const size = (await segment.arrayBuffer()).byteLength;
    const part = await fetch(`${base}hls/240p/${firstSegment}`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-19/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(10);

    // All of that was served before the job finished.
    expect((await video()).status).toBe('processing');
    // From the bucket: neither node's media folder holds a published video.
    expect(existsSync(path.join(webRoot, 'videos'))).toBe(false);
    expect(existsSync(path.join(workerRoot, 'videos'))).toBe(false);
    expect((await bucket.list(`videos/${videoId}/hls/240p/`)).map((o) => o.key)).toContain(`videos/${videoId}/hls/240p/${firstSegment}`);
  }, 300_000);

  it('publishes the whole ladder, poster and thumbnails when done, and the worker keeps no copy', async () => {
    await waitFor(async () => (await video()).status === 'ready', 300_000, 'the lecture to be ready');
    const base = await studentMediaBase();
    const master = await (await fetch(`${base}hls/master.m3u8`, { headers: { 'Accept-Encoding': 'gzip' } })).text();
    const rungs = rungsOf(master);
    expect(rungs.sort()).toEqual(['240p', '360p', '480p', '720p', 'audio', '144p'].sort());
    for (const rung of rungs) {
      const playlist = await (await fetch(`${base}hls/${rung}/index.m3u8`)).text();
      expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(playlist).toContain('#EXT-X-ENDLIST');
      const segments = playlist.split('\n').filter((l) => l.endsWith('.m4s'));
      const durations = [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(durations).toBeGreaterThan(85);
      const last = await fetch(`${base}hls/${rung}/${segments.at(-1)}`);
      expect(last.status).toBe(200);
    }
    // Playlists under 1 kB are not worth compressing (compression's threshold): a long one is.
    const long = `#EXTM3U\n${'#EXTINF:4.000,\nseg_00001.m4s\n'.repeat(200)}`;
    await bucket.put(`videos/${videoId}/hls/long.m3u8`, Buffer.from(long));
    const gz = await fetch(`${base}hls/long.m3u8`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(await gz.text()).toBe(long);
    const poster = await fetch(`${base}poster.jpg`);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    expect((await poster.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect((await bucket.list(`videos/${videoId}/thumbnails/`)).length).toBeGreaterThan(0);
    expect(await readdir(path.join(workerRoot, 'staging')).catch(() => [])).toEqual([]);
    expect(existsSync(path.join(workerRoot, 'videos'))).toBe(false);
  }, 360_000);

  it('deletes the video’s objects from the bucket when it is removed', async () => {
    await testSql()`update videos set status = 'cancelled' where id = ${videoId}`;
    await queues.maintenance.add('remove-video-files', { videoId }, { jobId: `remove-video-files--${videoId}` });
    await waitFor(async () => (await bucket.list(`videos/${videoId}/`)).length === 0, 60_000, 'the objects to be deleted');
    const [{ count }] = (await testSql()`select count(*)::int as count from videos where id = ${videoId}`) as unknown as [{ count: number }];
    expect(count).toBe(1);
  });
});
