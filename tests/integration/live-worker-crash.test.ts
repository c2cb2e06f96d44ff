import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { newDemoSession } from '../support/classroom.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { freePort, run, startProcess, waitFor, type Running } from '../support/processes.js';

// The worker packaging a teacher's broadcast dies hard mid-lesson (decision 021): another
// worker process takes the job over from the row's progress, the chunks that arrived in
// between wait in Redis, and the recording comes out whole. A web process and workers of
// their own, on a queue prefix of their own, so that this file can kill them.
const prefix = `livecrash${Date.now()}`;
const SOURCE_SECONDS = 12;
let root = '';
let base = '';
let webm: Buffer;
const running: Running[] = [];

const env = () => ({ ...testServiceEnv(), MEDIA_ROOT: root, QUEUE_PREFIX: prefix, VIDEO_ENCODER_PRESET: 'ultrafast', LOG_LEVEL: 'info' });
function startWorker(): Running {
  const w = startProcess('workers/index.ts', env());
  running.push(w);
  return w;
}
const workerStarted = (w: Running) => waitFor(async () => w.output().includes('"workerId"'), 30_000, 'worker start');

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'edu-live-crash-'));
  const file = path.join(root, 'camera.webm');
  const made = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(SOURCE_SECONDS), '-c:v', 'libvpx', '-b:v', '200k', '-deadline', 'realtime', '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm', file]);
  expect(made.code, made.output).toBe(0);
  webm = await readFile(file);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  running.push(startProcess('app/server/main.ts', { ...env(), NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), SESSION_SECRET: process.env.SESSION_SECRET, SECURE_COOKIES: '0', TRUST_PROXY: '1', LOG_LEVEL: 'warn' }));
  await waitFor(async () => (await fetch(`${base}/clock`).catch(() => null))?.ok ?? false, 60_000, 'the web process to answer');
});

afterAll(async () => {
  for (const r of running) r.child.kill('SIGKILL');
  await Promise.all(running.map((r) => r.exited));
  for (const name of ['video', 'live', 'maintenance', 'slides']) {
    const q = new Queue(name, { connection: { url: testServiceEnv().REDIS_URL }, prefix });
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
  await run('pkill', ['-f', root]);
  await rm(root, { recursive: true, force: true });
  await closeTestSql();
});

describe('a live packager killed mid-broadcast', () => {
  it('is taken over by another worker from where it stopped, and the recording is whole', async () => {
    const teacher = new FormClient(base);
    expect((await teacher.login('teacher@demo.edu.cn', demoPassword)).status).toBe(302);
    const first = startWorker();
    await workerStarted(first);
    const sessionId = await newDemoSession();
    const started = await teacher.post(`/classroom/sessions/${sessionId}/live`, { intent: 'live-start', camera: '1' });
    expect(started.status).toBe(200);
    const { broadcastId } = (await started.json()) as { broadcastId: string };
    const row = async () => (await testSql()<{ packaged_chunks: number; recorded_bytes: number; status: string }[]>`select packaged_chunks, recorded_bytes, status from live_broadcasts where id = ${broadcastId}`)[0]!;

    const chunks: Buffer[] = [];
    for (let i = 0; i < webm.length; i += 12 * 1024) chunks.push(webm.subarray(i, i + 12 * 1024));
    const post = (seq: number) => teacher.postBytes(`/classroom/sessions/${sessionId}/live/chunks?broadcast=${broadcastId}&seq=${seq}`, chunks[seq]!);
    const half = Math.floor(chunks.length / 2);
    for (let seq = 0; seq < half; seq++) expect((await post(seq)).status).toBe(201);
    await waitFor(async () => (await row()).packaged_chunks === half, 60_000, 'the first worker to package the first half');

    first.child.kill('SIGKILL');
    await first.exited;
    // Its ffmpeg went with it.
    await waitFor(async () => (await run('pgrep', ['-f', broadcastId])).code === 1, 10_000, 'the killed packager’s ffmpeg to be gone');
    // The teacher goes on: what arrives meanwhile waits in Redis.
    for (let seq = half; seq < chunks.length; seq++) expect((await post(seq)).status).toBe(201);
    expect((await row()).packaged_chunks).toBe(half);

    const second = startWorker();
    await workerStarted(second);
    // BullMQ hands the stalled job to the second worker once the first one's lock lapses.
    await waitFor(async () => (await row()).packaged_chunks === chunks.length, 120_000, 'the second worker to take the broadcast over');

    const stopped = await teacher.post(`/classroom/sessions/${sessionId}/live`, { intent: 'live-stop', broadcastId, lastChunk: String(chunks.length - 1) });
    expect(stopped.status).toBe(200);
    let recording: { status: string; recorded_bytes: string; video_status: string | null; duration: number | null } | undefined;
    await waitFor(async () => {
      [recording] = await testSql()<{ status: string; recorded_bytes: string; video_status: string | null; duration: number | null }[]>`
        select b.status, b.recorded_bytes, v.status as video_status, v.duration_seconds as duration
        from live_broadcasts b left join videos v on v.id = b.recording_video_id where b.id = ${broadcastId}`;
      return recording?.video_status === 'ready' || recording?.video_status === 'failed' || recording?.status === 'failed';
    }, 180_000, 'the recording to be transcoded').catch((error: Error) => {
      throw new Error(`${error.message}\n${second.output().slice(-3000)}`);
    });
    expect(recording).toMatchObject({ status: 'recorded', video_status: 'ready' });
    // Every byte the teacher sent, once, in order: as long as the camera file.
    expect(Number(recording!.recorded_bytes)).toBe(webm.length);
    expect(recording!.duration!).toBeGreaterThan(SOURCE_SECONDS - 0.5);
    expect(recording!.duration!).toBeLessThan(SOURCE_SECONDS + 0.5);
  }, 300_000);
});
