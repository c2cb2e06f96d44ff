import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot, testServiceEnv } from '../support/env.js';
import { run, tsx, waitFor } from '../support/processes.js';

// `npm start`'s demo lecture, made by the real script and published by the test worker.
// A course no other test touches, so the lessons other tests upload to stay as they expect.
const mediaRoot = inject('mediaRoot');
const course = 'fzu-advanced-math-1';

let startedAt = new Date();
beforeAll(async () => {
  // A database kept from an earlier local run: that run's videos are history here.
  await testSql()`update videos v set status = 'replaced' from lessons l, courses c
    where l.id = v.lesson_id and c.id = l.course_id and c.slug = ${course} and l.position = 1 and v.status in ('queued', 'probing', 'processing', 'ready')`;
  startedAt = new Date();
});
afterAll(closeTestSql);

function seedDemoVideo() {
  return run(tsx, [path.join(projectRoot, 'db/seed/demo-video.ts')], {
    ...testServiceEnv(),
    MEDIA_ROOT: mediaRoot,
    DEMO_VIDEO_COURSE: course,
    DEMO_VIDEO_SECONDS: '6',
  });
}

async function lessonVideos() {
  return testSql()<{ id: string; status: string; renditions: { name: string }[]; captions: { language: string; cues: number }[]; uploaded_by: string | null; original_filename: string }[]>`
    select v.id, v.status, v.renditions, v.captions, v.uploaded_by, v.original_filename from videos v
    join lessons l on l.id = v.lesson_id join courses c on c.id = l.course_id
    where c.slug = ${course} and l.position = 1 and v.created_at >= ${startedAt} order by v.created_at`;
}

async function readyVideo(id: string) {
  await waitFor(async () => (await lessonVideos()).some((v) => v.id === id && ['ready', 'failed'].includes(v.status)), 120_000, 'the demo lecture to be published');
  return (await lessonVideos()).find((v) => v.id === id)!;
}

const master = (videoId: string) => path.join(mediaRoot, 'videos', videoId, 'hls', 'master.m3u8');

describe('the demo lecture of npm start', { timeout: 300_000 }, () => {
  it('is generated, goes through the worker like an upload, and is published with the whole ladder', async () => {
    expect(await lessonVideos()).toEqual([]);
    const first = await seedDemoVideo();
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/queued for transcoding/);
    const [queued] = await lessonVideos();
    const video = await readyVideo(queued!.id);
    expect(video.status).toBe('ready');
    expect(video.renditions.map((r) => r.name)).toEqual(['720p', '480p', '360p', '240p', '144p', 'audio']);
    expect(video.original_filename).toBe('demo-lecture.mp4');
    const [teacher] = await testSql()`select ct.user_id from course_teachers ct join courses c on c.id = ct.course_id where c.slug = ${course}`;
    expect(video.uploaded_by).toBe(teacher!.user_id);
    expect(existsSync(master(video.id))).toBe(true);
    // Captions that say what the slides say (in the slides' language), on the ladder from the start.
    const language = /Chinese slides/.test(first.output) ? 'zh-CN' : 'en';
    expect(video.captions).toEqual([{ language, cues: 12 }]);
    expect(existsSync(path.join(mediaRoot, 'videos', video.id, 'hls', 'subs', `${language}.vtt`))).toBe(true);
  });

  it('leaves a lesson with a video alone, and replaces a ready video whose files are gone', async () => {
    const before = await lessonVideos();
    const again = await seedDemoVideo();
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/already has a video \(ready\)/);
    expect(await lessonVideos()).toEqual(before);

    const lost = before[0]!.id;
    await rm(path.join(mediaRoot, 'videos', lost), { recursive: true, force: true });
    const replacing = await seedDemoVideo();
    expect(replacing.code, replacing.output).toBe(0);
    expect(replacing.output).toMatch(/replaces a ready video whose files are missing/);
    const fresh = (await lessonVideos()).find((v) => v.id !== lost)!;
    expect((await readyVideo(fresh.id)).status).toBe('ready');
    expect((await lessonVideos()).find((v) => v.id === lost)!.status).toBe('replaced');
    expect(existsSync(master(fresh.id))).toBe(true);
  });
});
