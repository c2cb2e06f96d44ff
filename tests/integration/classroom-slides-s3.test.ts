import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { buildSlidePdf, lessonSlides } from '../../media/pdf-fixture.js';
import { S3MediaStorage } from '../../workers/storage/s3-storage.js';
import { FormClient } from '../support/browserless.js';
import { newDemoSession } from '../support/classroom.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { freePort, startProcess, waitFor, type Running } from '../support/processes.js';
import { startS3Server, type RunningS3 } from '../support/s3-server.js';

// A web node and a worker that share no media folder and keep media in an S3-compatible
// server: the PDF goes web → bucket → worker, the pages worker → bucket → web → screen.
const prefix = `s3slides${Date.now()}`;
let s3: RunningS3;
let bucket: S3MediaStorage;
const roots: string[] = [];
const running: Running[] = [];
let baseUrl = '';

beforeAll(async () => {
  s3 = await startS3Server();
  bucket = new S3MediaStorage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env = { ...testServiceEnv(), ...s3.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), SESSION_SECRET: randomBytes(32).toString('hex'), SECURE_COOKIES: '0', TRUST_PROXY: '1', LOG_LEVEL: 'warn', QUEUE_PREFIX: prefix };
  for (const entry of ['workers/index.ts', 'app/server/main.ts']) {
    const root = await mkdtemp(path.join(tmpdir(), 'edu-s3-slides-'));
    roots.push(root);
    running.push(startProcess(entry, { ...env, MEDIA_ROOT: root }));
  }
  await waitFor(async () => (await fetch(`${baseUrl}/healthz`)).ok, 60_000, 'the S3-backed web node to report healthy').catch((error) => {
    console.error(running.map((r) => r.output()).join('\n'));
    throw error;
  });
});

afterAll(async () => {
  for (const r of running) r.child.kill('SIGTERM');
  await Promise.all(running.map((r) => r.exited));
  const slides = new Queue('slides', { connection: { url: testServiceEnv().REDIS_URL }, prefix });
  await slides.obliterate({ force: true }).catch(() => {});
  await slides.close();
  bucket?.destroy();
  await s3?.close();
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
  await closeTestSql();
});

describe('PDF slide pages with media in an S3-compatible bucket', () => {
  it('renders a deck on a worker with its own folder and serves its pages from the bucket', async () => {
    const sessionId = await newDemoSession();
    const teacher = new FormClient(baseUrl);
    const assistant = new FormClient(baseUrl);
    await teacher.login('teacher@demo.edu.cn', demoPassword);
    await assistant.login('assistant@demo.edu.cn', demoPassword);
    const res = await teacher.postMultipart(`/classroom/sessions/${sessionId}/slides`, { intent: 'deck-upload' }, { file: { name: 'deck.pdf', type: 'application/pdf', content: buildSlidePdf(lessonSlides(2)) } });
    expect(res.status).toBe(202);
    await res.arrayBuffer();
    let deck: { id: string; status: string; page_bytes: number[] } | undefined;
    await waitFor(async () => {
      [deck] = await testSql()<{ id: string; status: string; page_bytes: number[] }[]>`select id, status, page_bytes from slide_decks where session_id = ${sessionId}`;
      return deck?.status === 'ready' || deck?.status === 'rejected' || deck?.status === 'failed';
    }, 90_000, 'the deck to be rendered').catch((error) => {
      console.error(running.map((r) => r.output()).join('\n'));
      throw error;
    });
    expect(deck!.status).toBe('ready');
    const keys = (await bucket.list(`slides/${sessionId}/${deck!.id}/`)).map((o) => o.key.split('/').pop()).sort();
    // The source PDF is gone once rendered; pages and thumbnails stay.
    expect(keys).toEqual(['page-001.webp', 'page-002.webp', 'thumb-001.webp', 'thumb-002.webp']);

    const manifest = (await (await assistant.get(`/classroom/sessions/${sessionId}/prefetch`)).json()) as { items: { url: string; bytes: number }[] };
    const page = manifest.items.find((i) => i.url.endsWith(`${deck!.id}/page-002.webp`))!;
    const image = await assistant.get(page.url);
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/webp']);
    expect((await image.arrayBuffer()).byteLength).toBe(deck!.page_bytes[1]);
  });

  it('keeps lesson materials in the bucket: any web node serves them and a deck can be made from one', async () => {
    const sessionId = await newDemoSession();
    const [session] = await testSql()<{ lesson_id: string }[]>`select lesson_id from live_sessions where id = ${sessionId}`;
    const lessonId = session!.lesson_id;
    const teacher = new FormClient(baseUrl);
    const student = new FormClient(baseUrl);
    await teacher.login('teacher@demo.edu.cn', demoPassword);
    await student.login('student@demo.edu.cn', demoPassword);
    const pdf = buildSlidePdf(lessonSlides(2));
    const uploaded = await teacher.postMultipart(`/studio/lessons/${lessonId}/materials`, { intent: 'upload' }, { file: { name: '讲义.pdf', type: 'application/pdf', content: pdf } });
    expect(uploaded.status).toBe(201);
    await uploaded.arrayBuffer();
    const [material] = await testSql()<{ id: string }[]>`select id from lesson_materials where lesson_id = ${lessonId} and file_name = '讲义.pdf' order by created_at desc limit 1`;
    const key = `materials/${lessonId}/${material!.id}`;
    expect((await bucket.list(`materials/${lessonId}/`)).map((o) => o.key)).toContain(key);
    // Nothing on the web node's own disk.
    expect(existsSync(path.join(roots[1]!, 'materials'))).toBe(false);

    const download = await student.get(`/lessons/${lessonId}/materials/${material!.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(pdf.length));
    expect(createHash('sha256').update(Buffer.from(await download.arrayBuffer())).digest('hex')).toBe(createHash('sha256').update(pdf).digest('hex'));

    // The teacher picks it for the session's slides: read from the bucket by the web node.
    const picked = await teacher.post(`/classroom/sessions/${sessionId}/slides`, { intent: 'deck-material', materialId: material!.id });
    expect(picked.status).toBe(202);
    await picked.arrayBuffer();
    await waitFor(async () => (await testSql()<{ status: string }[]>`select status from slide_decks where session_id = ${sessionId}`)[0]?.status === 'ready', 90_000, 'the deck from the material to be rendered');

    const removed = await teacher.post(`/studio/lessons/${lessonId}/materials`, { intent: 'delete', materialId: material!.id });
    expect(removed.status).toBeLessThan(400);
    await removed.arrayBuffer();
    expect((await bucket.list(`materials/${lessonId}/`)).map((o) => o.key)).not.toContain(key);
    expect((await student.get(`/lessons/${lessonId}/materials/${material!.id}`)).status).toBe(404);
  });
});
