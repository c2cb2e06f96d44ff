import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { generateLectureClip } from '../../media/fixtures.js';
import { S3MediaStorage } from '../../workers/storage/s3-storage.js';
import { FormClient } from '../support/browserless.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { cuttingProxy, freePort, run, startProcess, waitFor, type Running } from '../support/processes.js';
import { startS3Server, type RunningS3 } from '../support/s3-server.js';
import { backdateMultipartUploads, pendingMultipartUploads } from '../support/s3rver-multipart.js';
import { cookieHeader, tusUpload } from '../support/tus.js';

// Two web nodes behind an imaginary load balancer and a worker node, none sharing a
// folder with another (each its own MEDIA_ROOT), with uploads and media in one
// S3-compatible bucket. A teacher's upload starts on web A, the connection is cut, and
// it resumes on web B; the worker copies the finished upload from the bucket, probes,
// transcodes and publishes it.
const prefix = `s3tus${Date.now()}`;
const MiB = 1024 * 1024;
// A PATCH of 6 MiB is one multipart part (S3's minimum is 5 MiB); a cut PATCH leaves a tail.
const chunkSize = 6 * MiB;
let s3: RunningS3;
let bucket: S3MediaStorage;
const roots: Record<'webA' | 'webB' | 'worker', string> = { webA: '', webB: '', worker: '' };
const urls = { webA: '', webB: '' };
const ports = { webA: 0, webB: 0 };
const running: Running[] = [];
let maintenance: Queue;
let clip: Buffer;
let lessonId = '';
let teacher: { cookie: string; ip: string };

beforeAll(async () => {
  s3 = await startS3Server();
  bucket = new S3MediaStorage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, keyPrefix: 'edu/' });
  for (const name of ['webA', 'webB', 'worker'] as const) roots[name] = await mkdtemp(path.join(tmpdir(), `edu-s3tus-${name}-`));
  // Grainy enough to weigh over two parts: 16 s at 6 Mbit/s.
  const clipPath = path.join(roots.worker, '..', `${path.basename(roots.worker)}-clip.mp4`);
  await generateLectureClip(clipPath, { seconds: 16, width: 640, height: 360, fps: 25, videoKbps: 6000, grain: 40 });
  clip = await readFile(clipPath);
  await rm(clipPath);
  if (clip.length < 2 * chunkSize - MiB) throw new Error(`the generated clip weighs ${clip.length} bytes: too little to span two parts`);

  const env = {
    ...testServiceEnv(),
    ...s3.env,
    S3_KEY_PREFIX: 'edu/',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    SECURE_COOKIES: '0',
    TRUST_PROXY: '1',
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: prefix,
    VIDEO_ENCODER_PRESET: 'ultrafast',
  };
  running.push(startProcess('workers/index.ts', { ...env, MEDIA_ROOT: roots.worker }));
  for (const name of ['webA', 'webB'] as const) {
    const port = await freePort();
    ports[name] = port;
    urls[name] = `http://127.0.0.1:${port}`;
    running.push(startProcess('app/server/main.ts', { ...env, PORT: String(port), MEDIA_ROOT: roots[name] }));
  }
  await waitFor(async () => (await fetch(`${urls.webA}/healthz`)).ok && (await fetch(`${urls.webB}/healthz`)).ok, 60_000, 'both web nodes to report healthy').catch((error) => {
    console.error(running.map((r) => r.output()).join('\n'));
    throw error;
  });
  maintenance = new Queue('maintenance', { connection: { url: testServiceEnv().REDIS_URL }, prefix });

  const [course] = await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
  const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${course!.id}, ${3000 + Math.floor(Math.random() * 1e6)}, '对象存储上传测试') returning id`;
  lessonId = lesson!.id;
  // Sessions live in PostgreSQL: a cookie from web A is good on web B.
  const client = new FormClient(urls.webA);
  expect((await client.login('teacher@demo.edu.cn', demoPassword)).status).toBe(302);
  teacher = { cookie: cookieHeader(client.cookies), ip: client.ip };
}, 180_000);

afterAll(async () => {
  for (const r of running) if (r.child.exitCode !== null || r.child.signalCode !== null) console.error(`exited early (${r.child.exitCode ?? r.child.signalCode}):\n${r.output()}`);
  for (const r of running) r.child.kill('SIGTERM');
  await Promise.all(running.map((r) => r.exited));
  await maintenance?.obliterate({ force: true }).catch(() => {});
  await maintenance?.close();
  await new Queue('video', { connection: { url: testServiceEnv().REDIS_URL }, prefix }).obliterate({ force: true }).catch(() => {});
  await run('pkill', ['-f', roots.worker]);
  if (lessonId) await testSql()`delete from lessons where id = ${lessonId}`;
  bucket?.destroy();
  await s3?.close();
  await Promise.all(Object.values(roots).filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
  await closeTestSql();
});

const uploadIdOf = (url: string) => url.split('/').pop()!;
const on = (url: string, web: 'webA' | 'webB') => `${urls[web]}${new URL(url).pathname}`;

/** Starts an upload to web A through a link that drops after its first part and 2 MiB more. */
async function uploadCutOnWebA(filename: string) {
  const link = await cuttingProxy(ports.webA, chunkSize + 2 * MiB);
  try {
    const outcome = await tusUpload(link.url, clip, { ...teacher, metadata: { lessonId, filename }, chunkSize });
    await link.cut;
    expect(outcome.error).not.toBeNull();
    expect(outcome.url).toMatch(/\/uploads\/tus\/[0-9a-f-]{36}$/);
    return on(outcome.url!, 'webA');
  } finally {
    await link.close();
  }
}
const keysUnder = async (prefixKey: string) => (await bucket.list(prefixKey)).map((o) => o.key);
const head = (url: string) => fetch(url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', Cookie: teacher.cookie, 'X-Forwarded-For': teacher.ip } });
async function offsetOn(url: string): Promise<number> {
  const res = await head(url);
  if (res.status !== 200) throw new Error(`HEAD ${url} answered ${res.status}`);
  return Number(res.headers.get('upload-offset'));
}
/** A's offset once it has stored the cut request's tail: the HEAD may come in before A noticed the cut. */
async function offsetAfterTheCut(url: string): Promise<number> {
  let offset = 0;
  await waitFor(async () => (offset = await offsetOn(url)) > chunkSize, 10_000, 'web A to store what it received before the cut');
  return offset;
}
const filesIn = async (dir: string) => readdir(dir).catch(() => [] as string[]);

async function videoOf(uploadId: string) {
  const [row] = await testSql()<{ id: string; status: string; failures: unknown; storage_prefix: string | null; renditions: { name: string }[] | null }[]>`
    select id, status, failures, storage_prefix, renditions from videos where upload_id = ${uploadId}`;
  return row;
}

describe('a lecture uploaded into the bucket through two web nodes', () => {
  it('resumes on web B after the connection to web A is cut, and the worker publishes it from its own folder', async () => {
    const firstUrl = await uploadCutOnWebA('lecture.mp4');
    const uploadId = uploadIdOf(firstUrl);
    // What A received before the cut (a whole part, then under 2 MiB of the next PATCH,
    // kept as the tail object) is in the bucket, not in A's folder. HEAD waits for A to
    // finish storing the cut request (the lock).
    const offsetAfterCut = await offsetAfterTheCut(firstUrl);
    expect(offsetAfterCut).toBeGreaterThan(chunkSize + MiB);
    expect(offsetAfterCut).toBeLessThan(chunkSize + 2 * MiB);
    expect(await keysUnder('uploads/')).toEqual([`uploads/${uploadId}.info`, `uploads/${uploadId}.part`]);
    expect(await pendingMultipartUploads(s3.directory, s3.bucket)).toHaveLength(1);
    expect(await filesIn(path.join(roots.webA, 'uploads'))).toEqual([]);
    expect(await videoOf(uploadId)).toBeUndefined();

    const resumed = await tusUpload(urls.webB, clip, { ...teacher, metadata: { lessonId, filename: 'lecture.mp4' }, chunkSize, resumeFrom: on(firstUrl, 'webB') });
    expect(resumed.error).toBeNull();
    expect(resumed.url).toBe(on(firstUrl, 'webB'));
    // B went on from where A stopped, not from zero.
    expect(resumed.startOffset!).toBeGreaterThanOrEqual(offsetAfterCut);

    let video: Awaited<ReturnType<typeof videoOf>>;
    await waitFor(async () => {
      video = await videoOf(uploadId);
      return video !== undefined && ['ready', 'failed'].includes(video.status);
    }, 240_000, 'the video to be ready').catch((e: Error) => {
      throw new Error(`${e.message}\n${running.map((r) => r.output().slice(-3000)).join('\n')}`);
    });
    expect(video!.status, JSON.stringify(video!.failures)).toBe('ready');
    expect(video!.renditions!.map((r) => r.name)).toEqual(['360p', '240p', '144p', 'audio']);
    const master = await bucket.read(`${video!.storage_prefix}/master.m3u8`);
    expect(master).not.toBeNull();
    master!.body.destroy();

    // Published: the upload and its copy are gone, and no parts are left in the bucket.
    // The bucket's objects go first, then the worker's copy (uploads.remove).
    await waitFor(async () => (await keysUnder('uploads/')).length === 0 && (await filesIn(path.join(roots.worker, 'sources'))).length === 0, 30_000, 'the upload to be deleted from the bucket and the worker');
    expect(await pendingMultipartUploads(s3.directory, s3.bucket)).toEqual([]);
    for (const web of ['webA', 'webB'] as const) expect(await filesIn(path.join(roots[web], 'uploads'))).toEqual([]);
  }, 300_000);

  it('purges an upload abandoned past the expiry: its multipart upload is aborted and its objects deleted', async () => {
    const abandonedUrl = await uploadCutOnWebA('gave-up.mp4');
    const uploadId = uploadIdOf(abandonedUrl);
    expect(await offsetAfterTheCut(abandonedUrl)).toBeGreaterThan(chunkSize);
    expect(await keysUnder('uploads/')).toEqual([`uploads/${uploadId}.info`, `uploads/${uploadId}.part`]);
    expect(await pendingMultipartUploads(s3.directory, s3.bucket)).toHaveLength(1);

    // As if begun 49 hours ago (UPLOAD_EXPIRY_HOURS is 48 by default).
    expect(await backdateMultipartUploads(s3.directory, s3.bucket, 49)).toBe(1);
    const job = await maintenance.add('purge-abandoned-uploads', {}, { jobId: `purge-abandoned-uploads--test-${Date.now()}` });
    await waitFor(async () => (await maintenance.getJob(job.id!))?.returnvalue?.deleted > 0, 30_000, 'the purge to delete the abandoned upload');

    expect(await pendingMultipartUploads(s3.directory, s3.bucket)).toEqual([]);
    expect(await keysUnder('uploads/')).toEqual([]);
    for (const web of ['webA', 'webB'] as const) expect((await head(on(abandonedUrl, web))).status).toBe(404);
  }, 120_000);
});
