import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';

// A draft lesson (a class recording starts as one) is the teachers' alone until published:
// students cannot open it, do not see it listed or counted, and do not need it to
// complete the course.
const baseUrl = inject('baseUrl');
const teacher = new FormClient(baseUrl);
const student = new FormClient(baseUrl);
let courseId = '';
let slug = '';
let studentId = '';
const lessonIds: Record<string, string> = {};

const edit = (fields: Record<string, string>) => teacher.post(`/studio/courses/${courseId}`, fields);
const page = async (client: FormClient, path: string) => {
  const res = await client.get(path);
  return { status: res.status, html: await res.text() };
};
const isDraft = async (id: string) => (await testSql()<{ draft: boolean }[]>`select draft from lessons where id = ${id}`)[0]!.draft;
const records = async () => (await testSql()<{ n: number }[]>`select count(*)::int as n from completion_records where user_id = ${studentId} and course_id = ${courseId}`)[0]!.n;

beforeAll(async () => {
  expect((await teacher.login('teacher@demo.edu.cn', demoPassword)).status).toBe(302);
  const created = await teacher.post('/studio', { intent: 'create', institutionId: await institutionIdBySlug('fzu'), titleZh: '草稿课时测试课', titleEn: 'Draft lessons' });
  courseId = /\/studio\/courses\/([0-9a-f-]{36})$/.exec(created.headers.get('location') ?? '')![1]!;
  expect((await edit({ intent: 'add-module', titleZh: '唯一单元' })).status).toBe(302);
  const [mod] = await testSql()<{ id: string }[]>`select id from course_modules where course_id = ${courseId}`;
  for (const title of ['第一课', '课堂录像', '第三课']) {
    expect((await edit({ intent: 'add-lesson', moduleId: mod!.id, titleZh: title })).status).toBe(302);
    lessonIds[title] = (await testSql()<{ id: string }[]>`select id from lessons where course_id = ${courseId} and title_zh = ${title}`)[0]!.id;
    await testSql()`update lessons set body_zh = ${`${title}的正文`} where id = ${lessonIds[title]!}`;
  }
  slug = (await testSql()<{ slug: string }[]>`select slug from courses where id = ${courseId}`)[0]!.slug;

  const email = uniqueEmail('drafts');
  expect((await student.signUp({ displayName: '草稿测试学生', email, password: 'a-long-enough-password', institutionId: await institutionIdBySlug('fzu') })).status).toBe(302);
  studentId = (await testSql()<{ id: string }[]>`select id from users where email = ${email}`)[0]!.id;
  await testSql()`insert into enrolments (user_id, course_id) values (${studentId}, ${courseId})`;
});
afterAll(closeTestSql);

describe('draft lessons', () => {
  it('a course whose lessons are all drafts cannot be published', async () => {
    for (const id of Object.values(lessonIds)) expect((await edit({ intent: 'draft-lesson', lessonId: id })).status).toBe(302);
    expect((await edit({ intent: 'publish' })).status).toBe(409);
    expect((await testSql()`select published_at from courses where id = ${courseId}`)[0]!.published_at).toBeNull();
    for (const title of ['第一课', '第三课']) expect((await edit({ intent: 'publish-lesson', lessonId: lessonIds[title]! })).status).toBe(302);
    expect((await edit({ intent: 'publish' })).status).toBe(302);
  });

  it('is the teachers’ alone: a 404 to students, not in the syllabus, the open data, the lesson counts or the lesson neighbours', async () => {
    const draft = lessonIds['课堂录像']!;
    expect(await isDraft(draft)).toBe(true);

    expect((await page(student, `/lessons/${draft}`)).status).toBe(404);
    expect((await student.get(`/lessons/${draft}/materials/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    const course = await page(student, `/courses/${slug}`);
    expect(course.html).toContain('第一课');
    expect(course.html).not.toContain('课堂录像');
    // The lesson before the draft leads straight to the one after it.
    const first = await page(student, `/lessons/${lessonIds['第一课']}`);
    expect(first.html).toContain(`href="/lessons/${lessonIds['第三课']}"`);
    expect(first.html).not.toContain(`/lessons/${draft}`);
    const open = (await (await student.get(`/api/catalog/${slug}`)).json()) as { lessonCount: number; syllabus: { lessons: { titleZh: string }[] }[] };
    expect(open.lessonCount).toBe(2);
    expect(open.syllabus.flatMap((m) => m.lessons.map((l) => l.titleZh))).toEqual(['第一课', '第三课']);
    const catalog = await page(student, `/courses?q=${encodeURIComponent('草稿课时测试课')}`);
    expect(catalog.html).toContain('2 讲');

    // Its teacher previews it and sees it marked as a draft in the outline.
    expect((await page(teacher, `/lessons/${draft}`)).status).toBe(200);
    const outline = await page(teacher, `/studio/courses/${courseId}`);
    expect(outline.html).toMatch(/课堂录像\s*(<!-- -->)?\s*<span class="badge draft">草稿<\/span>/);
    expect(outline.html).toContain('value="publish-lesson"');
    expect((await page(teacher, `/studio/lessons/${draft}`)).html).toContain('向学生发布此课时');
  });

  it('is not needed to complete the course', async () => {
    // The third lesson is done by reading it: the course completes without the draft.
    expect((await page(student, `/lessons/${lessonIds['第一课']}`)).status).toBe(200);
    expect(await records()).toBe(0);
    expect((await page(student, `/lessons/${lessonIds['第三课']}`)).status).toBe(200);
    expect(await records()).toBe(1);
  });

  it('reaches students once published, and can be taken back to draft', async () => {
    const draft = lessonIds['课堂录像']!;
    const published = await edit({ intent: 'publish-lesson', lessonId: draft });
    expect(published.status).toBe(302);
    expect(published.headers.get('location')).toBe(`/studio/courses/${courseId}?done=lessonPublished#lesson-${draft}`);
    expect(await isDraft(draft)).toBe(false);
    expect((await page(student, `/lessons/${draft}`)).status).toBe(200);
    expect((await page(student, `/courses/${slug}`)).html).toContain('课堂录像');

    expect((await edit({ intent: 'draft-lesson', lessonId: draft })).status).toBe(302);
    expect((await page(student, `/lessons/${draft}`)).status).toBe(404);
  });

  it('only the course’s teachers publish or hide a lesson', async () => {
    const draft = lessonIds['课堂录像']!;
    expect((await student.post(`/studio/courses/${courseId}`, { intent: 'publish-lesson', lessonId: draft })).status).toBe(403);
    expect(await isDraft(draft)).toBe(true);
    // A lesson of another course is not found through this one.
    const [other] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1' limit 1`;
    expect((await edit({ intent: 'draft-lesson', lessonId: other!.id })).status).toBe(404);
    expect(await isDraft(other!.id)).toBe(false);
  });
});
