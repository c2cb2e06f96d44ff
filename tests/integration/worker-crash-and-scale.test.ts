import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateLectureClip } from '../../media/fixtures.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { run, startProcess, waitFor, type Running } from '../support/processes.js';

// Workers of their own, on a queue prefix of their own and a media root of their own, so
// this file can kill them without touching the suite's worker.
const prefix = `crash${Date.now()}`;
let mediaRoot = '';
let clip = '';
let queue: Queue;
const running: Running[] = [];

const workerEnv = (preset: string, extra: Record<string, string>) => ({ ...testServiceEnv(), MEDIA_ROOT: mediaRoot, QUEUE_PREFIX: prefix, VIDEO_LOCK_MS: '4000', VIDEO_ENCODER_PRESET: preset, LOG_LEVEL: 'info', ...extra });

function startWorker(preset: string, extra: Record<string, string> = {}): Running {
  const w = startProcess('workers/index.ts', workerEnv(preset, extra));
  running.push(w);
  return w;
}
const workerIdOf = (w: Running) => /"workerId":"([^"]+)"/.exec(w.output())?.[1];
const started = (w: Running) => waitFor(async () => workerIdOf(w) !== undefined, 30_000, 'worker start');

/** A lesson of its own and a video row waiting to be transcoded from a copy of the clip. */
async function videoToTranscode(): Promise<string> {
  const [course] = await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
  const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${course!.id}, ${1000 + Math.floor(Math.random() * 1e6)}, '扩展测试') returning id`;
  const uploadId = randomUUID();
  await copyFile(clip, path.join(mediaRoot, 'uploads', uploadId));
  const [video] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status) values (${lesson!.id}, ${uploadId}, 1, 'processing') returning id`;
  return video!.id;
}

async function status(videoId: string) {
  const [row] = await testSql()<{ status: string; progress_percent: number }[]>`select status, progress_percent from videos where id = ${videoId}`;
  return row!;
}

beforeAll(async () => {
  mediaRoot = await mkdtemp(path.join(tmpdir(), 'edu-crash-'));
  await mkdir(path.join(mediaRoot, 'uploads'), { recursive: true });
  clip = path.join(mediaRoot, 'source.mp4');
  await generateLectureClip(clip, { seconds: 40, width: 1280, height: 720, fps: 25 });
  queue = new Queue('video', { connection: { url: testServiceEnv().REDIS_URL }, prefix });
});

// A test that fails half-way must not leave its workers on the queue: they would take the
// next test's jobs.
afterEach(async () => {
  const alive = running.splice(0);
  for (const w of alive) w.child.kill('SIGKILL');
  await Promise.all(alive.map((w) => w.exited));
});

afterAll(async () => {
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  await run('pkill', ['-f', mediaRoot]); // any ffmpeg a killed worker left behind
  await rm(mediaRoot, { recursive: true, force: true });
  await closeTestSql();
});

describe('a worker killed mid-transcode', { timeout: 300_000 }, () => {
  it('loses nothing: another worker takes the job over, finishes it, and leaves no half-made files', async () => {
    const videoId = await videoToTranscode();
    const a = startWorker('veryfast');
    await started(a);
    await queue.add('transcode-video', { videoId }, { jobId: `transcode-video--${videoId}`, attempts: 3 });
    await waitFor(async () => (await status(videoId)).progress_percent >= 10, 60_000, 'transcoding to get under way');
    a.child.kill('SIGKILL');
    await a.exited;
    expect((await status(videoId)).status).toBe('processing');
    // Its ffmpeg went with it: nothing keeps writing into the half-made ladder.
    const [{ upload_id: uploadId }] = (await testSql()`select upload_id from videos where id = ${videoId}`) as unknown as [{ upload_id: string }];
    await waitFor(async () => (await run('pgrep', ['-f', uploadId])).code === 1, 5_000, 'the killed worker’s ffmpeg to be gone');

    const b = startWorker('veryfast');
    await started(b);
    await waitFor(async () => (await status(videoId)).status === 'ready', 180_000, 'the other worker to finish the video');
    const job = await queue.getJob(`transcode-video--${videoId}`);
    expect(job?.processedBy).toBe(workerIdOf(b));

    const videoDir = path.join(mediaRoot, 'videos', videoId);
    expect(existsSync(path.join(videoDir, 'hls', 'master.m3u8'))).toBe(true);
    expect((await readdir(videoDir)).filter((f) => f.includes('partial'))).toEqual([]);
    // Nor anything in the staging folder where the killed worker was building the ladder.
    expect(await readdir(path.join(mediaRoot, 'staging')).catch(() => [])).toEqual([]);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  });
});

describe('several workers share the queue', { timeout: 300_000 }, () => {
  it('two worker processes split two lectures between them', async () => {
    const [v1, v2] = [await videoToTranscode(), await videoToTranscode()];
    // One transcode at a time each (the default is two), so that neither can take both.
    const c = startWorker('ultrafast', { VIDEO_CONCURRENCY: '1' });
    const d = startWorker('ultrafast', { VIDEO_CONCURRENCY: '1' });
    await Promise.all([started(c), started(d)]);
    await queue.addBulk([v1, v2].map((videoId) => ({ name: 'transcode-video', data: { videoId }, opts: { jobId: `transcode-video--${videoId}` } })));
    await waitFor(async () => (await status(v1)).status === 'ready' && (await status(v2)).status === 'ready', 180_000, 'both lectures to be ready');
    const by = await Promise.all([v1, v2].map(async (v) => (await queue.getJob(`transcode-video--${v}`))?.processedBy));
    expect(new Set(by)).toEqual(new Set([workerIdOf(c), workerIdOf(d)]));
    c.child.kill('SIGTERM');
    d.child.kill('SIGTERM');
    await Promise.all([c.exited, d.exited]);
  });

  it('a worker asked to stop mid-transcode hands the job back without spending an attempt', async () => {
    const videoId = await videoToTranscode();
    const e = startWorker('veryfast');
    await started(e);
    await queue.add('transcode-video', { videoId }, { jobId: `transcode-video--${videoId}`, attempts: 3 });
    await waitFor(async () => (await status(videoId)).progress_percent >= 10, 60_000, 'transcoding to get under way');
    e.child.kill('SIGTERM');
    expect(await e.exited).toBe(0);
    const job = await queue.getJob(`transcode-video--${videoId}`);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.attemptsMade).toBe(0);
    expect((await readdir(path.join(mediaRoot, 'videos', videoId)).catch(() => [])).filter((f) => f.includes('partial'))).toEqual([]);
    expect(await readdir(path.join(mediaRoot, 'staging', videoId)).catch(() => [])).toEqual([]);
    const f = startWorker('ultrafast');
    await started(f);
    await waitFor(async () => (await status(videoId)).status === 'ready', 180_000, 'the handed-back job to finish');
  });
});
