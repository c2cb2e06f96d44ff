import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
let lessonId = '';
let videoId = '';
let student: FormClient;
let email = '';

// A ready 100-second video on a lesson of its own (the pipeline is tested elsewhere).
beforeAll(async () => {
  const [course] = await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
  const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${course!.id}, ${5000 + Math.floor(Math.random() * 1e6)}, '进度测试') returning id`;
  lessonId = lesson!.id;
  const [video] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status, duration_seconds) values (${lessonId}, ${`progress-${Date.now()}`}, 1, 'ready', 100) returning id`;
  videoId = video!.id;
  student = new FormClient(baseUrl);
  email = uniqueEmail('progress');
  await student.signUp({ displayName: '进度学生', email, password: 'progress-password', institutionId: await institutionIdBySlug('fzu') });
  expect((await student.post('/courses/fzu-linear-algebra-1', { intent: 'enrol' })).status).toBe(302);
});
afterAll(closeTestSql);

const report = (client: FormClient, ranges: [number, number][], positionSeconds: number, extra: Record<string, string> = {}) =>
  client.post(`/lessons/${lessonId}/progress`, { videoId, positionSeconds: String(positionSeconds), ranges: JSON.stringify(ranges), ...extra });

async function progress() {
  const [row] = await testSql()`select p.watched_ranges, p.position_seconds, p.watched_fraction, p.completed_at from lesson_video_progress p join users u on u.id = p.user_id where u.email = ${email} and p.lesson_id = ${lessonId}`;
  return row;
}

describe('watched ranges and completion', () => {
  it('adds reports together, counts re-watching once, and keeps the position', async () => {
    expect((await report(student, [[0, 30]], 30)).status).toBe(200);
    expect((await report(student, [[20, 50]], 50)).status).toBe(200);
    const row = await progress();
    expect(row!.watched_ranges).toEqual([[0, 50]]);
    expect(row!.watched_fraction).toBeCloseTo(0.5);
    expect(row!.position_seconds).toBe(50);
    expect(row!.completed_at).toBeNull();
  });

  it('seeking to the end does not complete the lesson; watching 95% does, and it stays complete', async () => {
    await report(student, [[98, 100]], 100);
    expect((await progress())!.completed_at).toBeNull();
    await report(student, [[50, 96]], 96);
    const done = await progress();
    expect(done!.watched_fraction).toBeGreaterThanOrEqual(0.95);
    expect(done!.completed_at).not.toBeNull();
    await report(student, [], 3);
    expect((await progress())!.completed_at).toEqual(done!.completed_at);
  });

  it('refuses malformed reports with 400 and a post without the CSRF token with 403, changing nothing', async () => {
    const before = await progress();
    expect((await student.post(`/lessons/${lessonId}/progress`, { videoId, positionSeconds: '1', ranges: 'not json' })).status).toBe(400);
    expect((await report(student, Array.from({ length: 300 }, (_, i) => [i, i + 1] as [number, number]), 1)).status).toBe(400);
    expect((await student.post(`/lessons/${lessonId}/progress`, { videoId, positionSeconds: '1', ranges: '[]' }, { csrf: false })).status).toBe(403);
    expect(await progress()).toEqual(before);
  });

  it('anonymous reports are sent to log in; a video of another lesson is not found', async () => {
    const anon = await report(new FormClient(baseUrl), [[0, 10]], 10);
    expect(anon.status).toBe(302);
    const other = await student.post(`/lessons/${lessonId}/progress`, { videoId: '00000000-0000-4000-8000-000000000000', positionSeconds: '1', ranges: '[]' });
    expect(other.status).toBe(404);
  });

  it('appears in the student’s own data export', async () => {
    const body = (await (await student.get('/account/data.json')).json()) as { videoProgress: { lesson: string; completedAt: string | null }[] };
    expect(body.videoProgress).toEqual(expect.arrayContaining([expect.objectContaining({ lesson: '进度测试' })]));
  });
});

describe('a lecture still encoding but already playable (early publishing)', () => {
  it('counts as the lesson’s video: reading the text alone does not complete the lesson, watching it does', async () => {
    const [course] = await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
    const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh, body_zh) values (${course!.id}, ${5000 + Math.floor(Math.random() * 1e6)}, '边转码边看', '讲义正文。') returning id`;
    const [early] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status, storage_prefix, duration_seconds)
      values (${lesson!.id}, ${`early-${Date.now()}`}, 1, 'processing', ${'videos/early'}, 100) returning id`;
    const completedAt = async () => (await testSql()`select c.completed_at from lesson_completions c join users u on u.id = c.user_id where u.email = ${email} and c.lesson_id = ${lesson!.id}`)[0]?.completed_at ?? null;
    expect((await student.get(`/lessons/${lesson!.id}`)).status).toBe(200);
    expect(await completedAt()).toBeNull();
    const watched = await student.post(`/lessons/${lesson!.id}/progress`, { videoId: early!.id, positionSeconds: '97', ranges: JSON.stringify([[0, 97]]) });
    expect(watched.status).toBe(200);
    expect(await completedAt()).not.toBeNull();
  });
});

describe('demo student', () => {
  it('can report on the demo lesson too (any signed-in learner may watch for now)', async () => {
    const demo = new FormClient(baseUrl);
    await demo.login('student@demo.edu.cn', demoPassword);
    expect((await report(demo, [[0, 5]], 5)).status).toBe(200);
  });
});
