import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../db/client.js';
import { demoPassword } from '../../db/seed/demo-data.js';
import { checkVideoFiles, recordPublishedFileSizes, videoFilesReport } from '../../workers/handlers/check-video-files.js';
import { filesCheckIdParts, jobId } from '../../workers/queues.js';
import { createRedis } from '../../workers/runtime/redis.js';
import { LocalMediaStorage } from '../../workers/storage/local-storage.js';
import { FormClient } from '../support/browserless.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { waitFor } from '../support/processes.js';

// A published ladder written by hand (the pipeline is tested in lecture-upload) on a course
// no other test touches; the check itself is the real handler against the real database
// and storage, and the on-demand checks go through the real web node, queue and worker.
const baseUrl = inject('baseUrl');
const mediaRoot = inject('mediaRoot');
const { db, sql } = createDatabase(testServiceEnv().DATABASE_URL, { max: 2 });
const ctx = { db, storage: new LocalMediaStorage(mediaRoot), log: pino({ level: 'silent' }) };
const admin = new FormClient(baseUrl);
let lessonId = '';
let videoId = '';
let ladder = '';

const rung = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:4', '#EXT-X-MAP:URI="init_0.mp4"', '#EXTINF:4.0,', 'seg_00000.m4s', '#EXTINF:4.0,', 'seg_00001.m4s', '#EXT-X-ENDLIST'].join('\n');
const files: Record<string, string> = {
  'master.m3u8': ['#EXTM3U', '#EXT-X-STREAM-INF:BANDWIDTH=97000,RESOLUTION=426x240', '240p/index.m3u8', '#EXT-X-STREAM-INF:BANDWIDTH=35200,CODECS="mp4a.40.2"', 'audio/index.m3u8'].join('\n'),
  '240p/index.m3u8': rung,
  '240p/init_0.mp4': 'init',
  '240p/seg_00000.m4s': 'segment 0',
  '240p/seg_00001.m4s': 'segment 1',
  'audio/index.m3u8': rung,
  'audio/init_0.mp4': 'init',
  'audio/seg_00000.m4s': 'segment 0',
  'audio/seg_00001.m4s': 'segment 1',
};

async function writeLadder() {
  for (const [name, body] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ladder, name)), { recursive: true });
    await writeFile(path.join(ladder, name), body);
  }
}

async function mark() {
  const [row] = await testSql()<{ files_missing_since: Date | null; files_missing_count: number }[]>`select files_missing_since, files_missing_count from videos where id = ${videoId}`;
  return row!;
}

beforeAll(async () => {
  const [lesson] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-python-programming' and l.position = 1`;
  lessonId = lesson!.id;
  await testSql()`update videos set status = 'replaced' where lesson_id = ${lessonId} and status = 'ready'`;
  const [video] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status, storage_prefix, duration_seconds, renditions)
    values (${lessonId}, ${`files-check-${Date.now()}`}, 1, 'ready', 'x', 8, ${JSON.stringify([{ name: '240p', width: 426, height: 240, bandwidthKbps: 97, playlist: '240p/index.m3u8' }])}::jsonb) returning id`;
  videoId = video!.id;
  ladder = path.join(mediaRoot, 'videos', videoId, 'hls');
  await writeLadder();
  expect((await admin.login('admin@demo.edu.cn', demoPassword)).status).toBe(302);
});
afterAll(async () => {
  await testSql()`update videos set status = 'replaced' where id = ${videoId}`;
  await sql.end();
  await closeTestSql();
});

describe('the storage check of published videos', () => {
  it('passes a whole ladder; a lost segment marks the video for its teachers and the admins; restored, the mark goes', async () => {
    expect(await checkVideoFiles(ctx, { data: { videoId } })).toEqual({ checked: 1, missing: 0 });
    expect(await mark()).toEqual({ files_missing_since: null, files_missing_count: 0 });

    await rm(path.join(ladder, '240p/seg_00001.m4s'));
    await rm(path.join(ladder, 'audio/init_0.mp4'));
    expect(await checkVideoFiles(ctx, { data: { videoId } })).toEqual({ checked: 1, missing: 1 });
    const first = await mark();
    expect(first.files_missing_count).toBe(2);
    expect(first.files_missing_since).toBeInstanceOf(Date);
    // A later check keeps the first sighting.
    await checkVideoFiles(ctx, { data: {} });
    expect((await mark()).files_missing_since).toEqual(first.files_missing_since);

    const studio = await (await admin.get(`/studio/lessons/${lessonId}`)).text();
    expect(studio).toContain('存储中这段视频有 2 个文件缺失或不完整');
    const list = await admin.get('/admin/media');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(`href="/lessons/${lessonId}"`);

    await writeLadder();
    await checkVideoFiles(ctx, { data: {} });
    expect(await mark()).toEqual({ files_missing_since: null, files_missing_count: 0 });
    expect(await (await admin.get(`/studio/lessons/${lessonId}`)).text()).not.toContain('缺失或不完整');
    expect(await (await admin.get('/admin/media')).text()).not.toContain(`href="/lessons/${lessonId}"`);
  });

  it('holds segments and stills to the sizes recorded at publication: a file cut short or a lost poster marks the video', async () => {
    const poster = path.join(mediaRoot, 'videos', videoId, 'poster.jpg');
    await writeFile(poster, 'a poster');
    // As publish-video does once every file is in place.
    expect(await recordPublishedFileSizes(ctx.storage, videoId)).toBe(7);
    expect(await checkVideoFiles(ctx, { data: { videoId } })).toEqual({ checked: 1, missing: 0 });

    // Same name, fewer bytes: the playlists alone would not see it.
    await writeFile(path.join(ladder, '240p/seg_00001.m4s'), 'segm');
    expect(await videoFilesReport(ctx.storage, videoId)).toEqual({ referenced: 10, missing: ['hls/240p/seg_00001.m4s'] });
    await rm(poster);
    expect((await videoFilesReport(ctx.storage, videoId)).missing).toEqual(['hls/240p/seg_00001.m4s', 'poster.jpg']);
    await checkVideoFiles(ctx, { data: { videoId } });
    expect((await mark()).files_missing_count).toBe(2);

    await writeLadder();
    await writeFile(poster, 'a poster');
    await checkVideoFiles(ctx, { data: { videoId } });
    expect(await mark()).toEqual({ files_missing_since: null, files_missing_count: 0 });
    // A video published before the record existed is still walked from its playlists.
    await rm(path.join(mediaRoot, 'videos', videoId, 'files.json'));
    await rm(poster);
    expect(await videoFilesReport(ctx.storage, videoId)).toEqual({ referenced: 9, missing: [] });
  });

  it('a player that meets a 404 for a signed file has the worker check that video', async () => {
    const html = await (await admin.get(`/lessons/${lessonId}`)).text();
    const base = /\/media\/[0-9a-f-]{36}\/\d+\/[\w-]+\//.exec(html)![0];
    expect(base).toContain(videoId);
    await rm(path.join(ladder, 'audio/seg_00000.m4s'));
    expect((await fetch(`${baseUrl}${base}hls/audio/seg_00000.m4s`)).status).toBe(404);
    await waitFor(async () => (await mark()).files_missing_count === 1, 30_000, 'the worker to mark the video');
    expect((await mark()).files_missing_since).toBeInstanceOf(Date);
    await writeLadder();
  });

  it("the admins' button asks the worker to check every video", async () => {
    // The video is still marked from the 404 above, though its files are back.
    expect((await mark()).files_missing_count).toBe(1);
    const before = Date.now();
    const res = await admin.post('/admin/media', { intent: 'check-all' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('已安排检查');
    const ids = new Set([before, Date.now()].map((at) => jobId('check-video-files', ...filesCheckIdParts('all', at, 10_000))));
    const queue = new Queue('maintenance', { connection: createRedis(testServiceEnv().REDIS_URL, 'client') });
    try {
      const finished = async () => (await Promise.all([...ids].map((id) => queue.getJob(id)))).find((job) => job?.finishedOn !== undefined);
      await waitFor(async () => (await finished()) !== undefined, 30_000, 'the check of every video to run');
      expect((await finished())!.returnvalue.checked).toBeGreaterThanOrEqual(1);
      expect(await mark()).toEqual({ files_missing_since: null, files_missing_count: 0 });
    } finally {
      await queue.close();
    }
  });
});
