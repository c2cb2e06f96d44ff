import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';

const baseUrl = inject('baseUrl');
let lessonId = '';
let videoId = '';
let student: FormClient;
let email = '';
let run = '';

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
  // A page opened long ago: these cases are about ranges, not time (see 'watch evidence').
  run = await openLesson(student, lessonId);
  await ageRun(run, 3_600);
});
afterAll(closeTestSql);

/** Opens the lesson page as the player would and answers the playback run the server recorded for it. */
async function openLesson(client: FormClient, lesson: string, who = email): Promise<string> {
  const res = await client.get(`/lessons/${lesson}`);
  expect(res.status).toBe(200);
  await res.text();
  const [row] = await testSql()<{ id: string }[]>`select r.id from playback_runs r join users u on u.id = r.user_id
    where r.lesson_id = ${lesson} and u.email = ${who} order by r.started_at desc limit 1`;
  return row!.id;
}

/** Moves a run's start back: what `seconds` of waiting would do, without waiting (the server keeps one clock: the database's). */
const ageRun = (runId: string, seconds: number) => testSql()`update playback_runs set started_at = started_at - make_interval(secs => ${seconds}) where id = ${runId}`;

const report = (client: FormClient, ranges: [number, number][], positionSeconds: number, extra: Record<string, string> = {}) =>
  client.post(`/lessons/${lessonId}/progress`, { videoId, run, positionSeconds: String(positionSeconds), ranges: JSON.stringify(ranges), ...extra });

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
    expect((await student.post(`/lessons/${lessonId}/progress`, { videoId, run, positionSeconds: '1', ranges: 'not json' })).status).toBe(400);
    expect((await report(student, Array.from({ length: 300 }, (_, i) => [i, i + 1] as [number, number]), 1)).status).toBe(400);
    // Without a run nothing can be placed in time.
    expect((await student.post(`/lessons/${lessonId}/progress`, { videoId, positionSeconds: '1', ranges: '[[0,1]]' })).status).toBe(400);
    expect((await student.post(`/lessons/${lessonId}/progress`, { videoId, run, positionSeconds: '1', ranges: '[]' }, { csrf: false })).status).toBe(403);
    expect(await progress()).toEqual(before);
  });

  it('anonymous reports are sent to log in; a video of another lesson is not found', async () => {
    const anon = await report(new FormClient(baseUrl), [[0, 10]], 10);
    expect(anon.status).toBe(302);
    const other = await student.post(`/lessons/${lessonId}/progress`, { videoId: '00000000-0000-4000-8000-000000000000', run, positionSeconds: '1', ranges: '[]' });
    expect(other.status).toBe(404);
  });

  it('appears in the student’s own data export', async () => {
    const body = (await (await student.get('/account/data.json')).json()) as { videoProgress: { lesson: string; completedAt: string | null }[]; playbackRuns: { lesson: string; acceptedSeconds: number }[] };
    expect(body.videoProgress).toEqual(expect.arrayContaining([expect.objectContaining({ lesson: '进度测试' })]));
    // And when they opened it, with what the server counted from that viewing.
    expect(body.playbackRuns).toEqual(expect.arrayContaining([expect.objectContaining({ lesson: '进度测试', acceptedSeconds: 98 })]));
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
    const earlyRun = await openLesson(student, lesson!.id);
    await ageRun(earlyRun, 60);
    const watched = await student.post(`/lessons/${lesson!.id}/progress`, { videoId: early!.id, run: earlyRun, positionSeconds: '97', ranges: JSON.stringify([[0, 97]]) });
    expect(watched.status).toBe(200);
    expect(await completedAt()).not.toBeNull();
  });
});

describe('demo student', () => {
  it('can report on the demo lesson too (any signed-in learner may watch for now)', async () => {
    const demo = new FormClient(baseUrl);
    await demo.login('student@demo.edu.cn', demoPassword);
    const demoRun = await openLesson(demo, lessonId, 'student@demo.edu.cn');
    await ageRun(demoRun, 10);
    expect((await report(demo, [[0, 5]], 5, { run: demoRun })).status).toBe(200);
  });
});

/** A student of their own, enrolled in the course, so that each case starts from nothing watched. */
async function freshStudent(tag: string) {
  const client = new FormClient(baseUrl);
  const address = uniqueEmail(tag);
  await client.signUp({ displayName: '观看证据学生', email: address, password: 'watch-evidence-password', institutionId: await institutionIdBySlug('fzu') });
  expect((await client.post('/courses/fzu-linear-algebra-1', { intent: 'enrol' })).status).toBe(302);
  const post = async (runId: string, ranges: [number, number][], lesson = lessonId, video = videoId) => {
    const res = await client.post(`/lessons/${lesson}/progress`, { videoId: video, run: runId, positionSeconds: String(Math.min(100, ranges.at(-1)?.[1] ?? 0)), ranges: JSON.stringify(ranges) });
    return { status: res.status, body: (await res.json()) as { fraction: number; completed: boolean; lessonComplete: boolean; clipped: boolean; overBudget: boolean } };
  };
  const watched = async (lesson = lessonId) =>
    (await testSql()<{ watched_ranges: [number, number][]; completed_at: Date | null }[]>`select p.watched_ranges, p.completed_at from lesson_video_progress p
      join users u on u.id = p.user_id where u.email = ${address} and p.lesson_id = ${lesson}`)[0];
  return { client, email: address, open: (lesson = lessonId) => openLesson(client, lesson, address), post, watched };
}

const clippedAudits = async (runId: string) =>
  testSql()<{ actor_user_id: string; details: { reasons: string[]; refusedSeconds: number } }[]>`select actor_user_id, details from audit_log
    where action = 'progress.clipped' and details->>'runId' = ${runId}`;

describe('watch evidence: what a report may claim is bounded by the time the server has seen', () => {
  it('clips “watched it all” posted a second after opening the lesson, audits it once per run, and completes nothing', async () => {
    const s = await freshStudent('forged');
    const runId = await s.open();
    const forged = await s.post(runId, [[0, 99_999]]);
    expect(forged.status).toBe(200);
    expect(forged.body).toMatchObject({ completed: false, lessonComplete: false, clipped: true, overBudget: true });
    // At most twice the second or so since the page was served, plus the rounding slack.
    expect(forged.body.fraction).toBeLessThan(0.1);
    const row = await s.watched();
    expect(row!.completed_at).toBeNull();
    expect(row!.watched_ranges[0]![0]).toBe(0);
    expect(row!.watched_ranges.at(-1)![1]).toBeLessThan(10);

    // A script posting in a loop: still clipped, still one audit row for the run.
    for (let i = 0; i < 5; i++) expect((await s.post(runId, [[-50, 2], [0, 99_999]])).body.completed).toBe(false);
    const audits = await clippedAudits(runId);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details.reasons).toEqual(['beyond-duration', 'over-budget']);
    expect(audits[0]!.details.refusedSeconds).toBeGreaterThan(90);
    const [sums] = await testSql()<{ clipped_reports: number; accepted_seconds: number }[]>`select clipped_reports, accepted_seconds from playback_runs where id = ${runId}`;
    expect(sums!.clipped_reports).toBe(6);
    expect(sums!.accepted_seconds).toBeLessThan(10);
  });

  it('counts honest playback at 2x as it happens, and completes the lesson', async () => {
    const s = await freshStudent('honest-2x');
    const runId = await s.open();
    let last = { completed: false, lessonComplete: false, clipped: true };
    // Every 10 s of wall clock (moved on in the database instead of waited for), 20 s of video.
    for (let at = 0; at < 100; at += 20) {
      await ageRun(runId, 10);
      const { status, body } = await s.post(runId, [[at, at + 20]]);
      expect(status).toBe(200);
      expect(body.clipped).toBe(false);
      last = body;
    }
    expect(last).toMatchObject({ completed: true, lessonComplete: true });
    expect((await s.watched())!.watched_ranges).toEqual([[0, 100]]);
    expect(await clippedAudits(runId)).toHaveLength(0);
  });

  it('holds back what is faster than 2x, and counts it once enough time has passed (the player sends it again)', async () => {
    const s = await freshStudent('fast');
    const runId = await s.open();
    await ageRun(runId, 10);
    const early = await s.post(runId, [[0, 40]]);
    expect(early.body.overBudget).toBe(true);
    expect(early.body.fraction).toBeLessThan(0.3);
    await ageRun(runId, 10);
    const later = await s.post(runId, [[0, 40]]);
    expect(later.body.overBudget).toBe(false);
    expect((await s.watched())!.watched_ranges).toEqual([[0, 40]]);
  });

  it('counts a report kept on the device through a dropped link and delivered from a later visit, under its own run', async () => {
    const s = await freshStudent('late');
    // Two minutes ago: the page was served, the link dropped, the student watched the whole 100 s.
    const offline = await s.open();
    await ageRun(offline, 120);
    // Back online today: a new page, a new run.
    const today = await s.open();
    // The same ranges claimed as today's would be clipped: today's run has only just begun ...
    expect((await s.post(today, [[0, 100]])).body.overBudget).toBe(true);
    // ... but under the run they were played in, they fit its two minutes.
    const late = await s.post(offline, [[0, 100]]);
    expect(late.body).toMatchObject({ clipped: false, completed: true, lessonComplete: true });
  });

  it('shares one budget among runs that overlap: opening more pages buys no time', async () => {
    const s = await freshStudent('tabs');
    const runs = [await s.open(), await s.open(), await s.open()];
    for (const r of runs) await ageRun(r, 30);
    expect((await s.post(runs[0]!, [[0, 60]])).body.clipped).toBe(false);
    // Each run alone would allow the rest (2 × 30 s); together they have spent their 30 s.
    const second = await s.post(runs[1]!, [[60, 100]]);
    expect(second.body.overBudget).toBe(true);
    expect(second.body.completed).toBe(false);
    expect(second.body.fraction).toBeLessThan(0.8);
  });

  it('refuses a run that is not this viewer’s, lesson’s and video’s with 422, storing nothing', async () => {
    const s = await freshStudent('foreign-run');
    const other = await freshStudent('run-owner');
    const theirs = await other.open();
    await ageRun(theirs, 3_600);
    expect((await s.post(theirs, [[0, 100]])).status).toBe(422);
    expect((await s.post('00000000-0000-4000-8000-000000000000', [[0, 100]])).status).toBe(422);
    expect(await s.watched()).toBeUndefined();
  });
});

describe('a lesson without parts', () => {
  async function emptyLesson() {
    const [course] = await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
    const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${course!.id}, ${5000 + Math.floor(Math.random() * 1e6)}, '还没有内容') returning id`;
    return lesson!.id;
  }
  const completedAt = async (who: string, lesson: string) =>
    (await testSql()<{ completed_at: Date | null }[]>`select c.completed_at from lesson_completions c join users u on u.id = c.user_id where u.email = ${who} and c.lesson_id = ${lesson}`)[0]?.completed_at ?? null;

  it('is not completed by a visit; once the teacher adds a video it is open, and watching it completes it', async () => {
    const s = await freshStudent('empty-lesson');
    const lesson = await emptyLesson();
    const page = await s.client.get(`/lessons/${lesson}`);
    expect(await page.text()).toContain('这一讲还没有内容');
    expect(await completedAt(s.email, lesson)).toBeNull();

    const [video] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status, duration_seconds) values (${lesson}, ${`empty-${Date.now()}`}, 1, 'ready', 100) returning id`;
    const runId = await s.open(lesson);
    expect(await completedAt(s.email, lesson)).toBeNull();
    await ageRun(runId, 60);
    const watched = await s.post(runId, [[0, 100]], lesson, video!.id);
    expect(watched.body).toMatchObject({ completed: true, lessonComplete: true });
    expect(await completedAt(s.email, lesson)).not.toBeNull();
  });

  it('counts toward the course: a course whose last lesson is empty is not completed by the others', async () => {
    const [course] = await testSql()<{ id: string }[]>`
      insert into courses (institution_id, slug, title_zh, credits, class_hours, published_at)
      values (${await institutionIdBySlug('fzu')}, ${`empty-part-${Date.now().toString(36)}`}, '有空课时的课程', '1.0', 16, now()) returning id`;
    const [first] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh, body_zh) values (${course!.id}, 1, '第一讲', '正文') returning id`;
    const [empty] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${course!.id}, 2, '第二讲') returning id`;
    const client = new FormClient(baseUrl);
    const address = uniqueEmail('empty-course');
    await client.signUp({ displayName: '空课时学生', email: address, password: 'watch-evidence-password', institutionId: await institutionIdBySlug('fzu') });
    const slug = (await testSql()<{ slug: string }[]>`select slug from courses where id = ${course!.id}`)[0]!.slug;
    expect((await client.post(`/courses/${slug}`, { intent: 'enrol' })).status).toBe(302);
    await (await client.get(`/lessons/${first!.id}`)).text();
    await (await client.get(`/lessons/${empty!.id}`)).text();
    expect(await completedAt(address, empty!.id)).toBeNull();
    expect(await testSql()`select 1 from completion_records where course_id = ${course!.id}`).toHaveLength(0);
    expect(await (await client.get(`/courses/${slug}`)).text()).toContain('已完成 1 / 2 讲');
    // Text added: the next visit reads it, and the course completes.
    await testSql()`update lessons set body_zh = '补上的正文' where id = ${empty!.id}`;
    await (await client.get(`/lessons/${empty!.id}`)).text();
    expect(await testSql()`select 1 from completion_records where course_id = ${course!.id}`).toHaveLength(1);
  });

  it('completed under the old rule is reopened by the migration unless something the lesson asks for was done; course records stay', async () => {
    const s = await freshStudent('legacy');
    const userId = (await testSql()<{ id: string }[]>`select id from users where email = ${s.email}`)[0]!.id;
    // Completed by a visit while empty; a video was added later and never watched.
    const visitedEmpty = await emptyLesson();
    await testSql()`insert into videos (lesson_id, upload_id, source_bytes, status, duration_seconds) values (${visitedEmpty}, ${`legacy-${Date.now()}`}, 1, 'ready', 100)`;
    // Still empty.
    const stillEmpty = await emptyLesson();
    // A video lesson really watched: kept.
    const watchedLesson = await emptyLesson();
    await testSql()`insert into videos (lesson_id, upload_id, source_bytes, status, duration_seconds) values (${watchedLesson}, ${`legacy-w-${Date.now()}`}, 1, 'ready', 100)`;
    await testSql()`insert into lesson_video_progress (user_id, lesson_id, watched_fraction, completed_at) values (${userId}, ${watchedLesson}, 1, now())`;
    for (const lesson of [visitedEmpty, stillEmpty, watchedLesson]) {
      await testSql()`insert into lesson_completions (user_id, lesson_id, text_viewed_at, completed_at) values (${userId}, ${lesson}, now(), now())`;
    }
    const records = async () => (await testSql()<{ n: number }[]>`select count(*)::int as n from completion_records`)[0]!.n;
    const before = await records();
    await testSql().unsafe(await reopeningMigration());
    expect(await completedAt(s.email, visitedEmpty)).toBeNull();
    expect(await completedAt(s.email, stillEmpty)).toBeNull();
    expect(await completedAt(s.email, watchedLesson)).not.toBeNull();
    expect(await records()).toBe(before);
  });
});

/** The data statements of the migration that reopens lessons completed without parts (found by what they say). */
async function reopeningMigration(): Promise<string> {
  const folder = path.join(projectRoot, 'db/migrations');
  for (const name of (await readdir(folder)).filter((n) => n.endsWith('.sql'))) {
    const text = await readFile(path.join(folder, name), 'utf8');
    const statements = text.split('--> statement-breakpoint').filter((st) => /^UPDATE "lesson_completions"/m.test(st));
    if (statements.length > 0) return statements.join(';\n');
  }
  throw new Error('no migration reopens lessons completed without parts');
}
