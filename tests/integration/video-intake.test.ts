import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/client.js';
import { createQueue, jobId } from '../../workers/queues.js';
import { createVideoFromUpload } from '../../workers/video-intake.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';

// The step shared by the studio's uploads and the demo lecture, on a draft lesson of its own
// and a queue under its own prefix, so the test worker never sees these jobs.
const env = testServiceEnv();
const { db, sql } = createDatabase(env.DATABASE_URL, { max: 2 });
const prefix = `intake-test-${Date.now()}`;
let queue: Queue;
let lessonId = '';

const upload = () => ({ lessonId, uploadId: randomUUID(), uploadedBy: null, filename: 'lecture.mp4', bytes: 1_000 });
const statuses = async () => Object.fromEntries((await testSql()<{ id: string; status: string }[]>`select id, status from videos where lesson_id = ${lessonId}`).map((v) => [v.id, v.status]));

beforeAll(async () => {
  queue = createQueue('video', { url: env.REDIS_URL }, () => {}, prefix);
  const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh, draft)
    select id, 900 + floor(random() * 90000)::int, '视频接收测试', true from courses where slug = 'fzu-python-programming' returning id`;
  lessonId = lesson!.id;
});
afterAll(async () => {
  await testSql()`delete from lessons where id = ${lessonId}`;
  await queue.obliterate({ force: true });
  await queue.close();
  await sql.end();
  await closeTestSql();
});

describe('createVideoFromUpload', () => {
  it('queues the video with its probe job; a newer upload supersedes it; the same upload twice makes one video', async () => {
    const first = upload();
    const a = await createVideoFromUpload(db, { video: queue }, first);
    expect(await statuses()).toEqual({ [a!.id]: 'queued' });
    expect((await queue.getJob(jobId('probe-video', a!.id)))?.data).toEqual({ videoId: a!.id });

    const b = await createVideoFromUpload(db, { video: queue }, upload());
    expect(await statuses()).toEqual({ [a!.id]: 'cancelled', [b!.id]: 'queued' });
    expect(await createVideoFromUpload(db, { video: queue }, first)).toBeNull();
    // The repeated call for the older upload leaves the newer one's video alone.
    expect(await statuses()).toEqual({ [a!.id]: 'cancelled', [b!.id]: 'queued' });
  });

  it('runs beforeProbe before the probe is queued, and cancels the video when it fails', async () => {
    const seen: { videoId: string; jobThere: boolean }[] = [];
    const ok = await createVideoFromUpload(db, { video: queue }, upload(), async (videoId) => {
      seen.push({ videoId, jobThere: (await queue.getJob(jobId('probe-video', videoId))) !== undefined });
    });
    expect(seen).toEqual([{ videoId: ok!.id, jobThere: false }]);
    expect(await queue.getJob(jobId('probe-video', ok!.id))).toBeDefined();

    let failedId = '';
    const failure = await createVideoFromUpload(db, { video: queue }, upload(), async (videoId) => {
      failedId = videoId;
      throw new Error('storage unavailable');
    }).catch((e: Error) => e);
    expect(failure).toMatchObject({ message: 'storage unavailable' });
    expect((await statuses())[failedId]).toBe('cancelled');
    expect(await queue.getJob(jobId('probe-video', failedId))).toBeUndefined();
  });
});
