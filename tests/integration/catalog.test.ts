import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { refreshCourseSearch } from '../../db/course-search.js';
import { createDatabase } from '../../db/client.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';

const baseUrl = inject('baseUrl');
const { db, sql: drizzleSql } = createDatabase(testServiceEnv().DATABASE_URL, { max: 2 });
const tag = randomBytes(3).toString('hex');
const schoolSlug = `search-u-${tag}`;
let schoolId = '';

/** A published course of the test's own institution, indexed the way the studio indexes it. */
async function course(slugPart: string, fields: { titleZh: string; summaryZh?: string; descriptionZh?: string; caption?: string; published?: boolean; policy?: string; institutionId?: string; credits?: string }) {
  const institutionId = fields.institutionId ?? schoolId;
  const [row] = await testSql()<{ id: string }[]>`
    insert into courses (institution_id, slug, title_zh, summary_zh, description_zh, subject, credits, class_hours, enrolment_policy, published_at)
    values (${institutionId}, ${`${slugPart}-${tag}`}, ${fields.titleZh}, ${fields.summaryZh ?? ''}, ${fields.descriptionZh ?? ''}, 'mathematics',
            ${fields.credits ?? '2.0'}, 32, ${fields.policy ?? 'open'}, ${fields.published === false ? null : new Date()})
    returning id`;
  await testSql()`insert into lessons (course_id, position, title_zh, body_zh, caption_text) values (${row!.id}, 1, '第一讲', '讲义正文', ${fields.caption ?? ''})`;
  await refreshCourseSearch(db, row!.id);
  return { id: row!.id, slug: `${slugPart}-${tag}` };
}

async function titlesFor(query: string, extra = ''): Promise<string[]> {
  const res = await fetch(`${baseUrl}/courses?q=${encodeURIComponent(query)}&institution=${schoolSlug}${extra}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  return [...html.matchAll(/<article class="course-card"><h2><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

/** A student who signed up and whom the institution then verified (as its roster import does). */
async function signUpStudent(institutionSlug: string): Promise<FormClient> {
  const client = new FormClient(baseUrl);
  const email = uniqueEmail(`cat-${institutionSlug}`);
  const res = await client.signUp({ displayName: '测试学生', email, password: 'catalog-password', institutionId: await institutionIdBySlug(institutionSlug) });
  expect(res.status).toBe(302);
  await testSql()`update memberships set verification = 'roster', verified_at = now() where user_id = (select id from users where email = ${email})`;
  return client;
}

beforeAll(async () => {
  const [region] = await testSql()<{ id: string }[]>`select id from regions where code = '350121'`;
  const [row] = await testSql()<{ id: string }[]>`
    insert into institutions (slug, kind, name_zh, name_en, region_id) values (${schoolSlug}, 'university', ${`搜索测试大学${tag}`}, 'Search Test University', ${region!.id}) returning id`;
  schoolId = row!.id;
  await course('la', { titleZh: '线性代数(上)', summaryZh: '向量与矩阵' });
  await course('higher-algebra', { titleZh: '高等代数', descriptionZh: '本课程与线性代数密切相关，内容更抽象。' });
  await course('numerics', { titleZh: '数值分析', descriptionZh: '求解线性方程组，以及代数方程的数值解法。' });
  await course('physics', { titleZh: '大学物理', caption: '这里我们要用到线性代数中的特征值，它在量子力学里无处不在。' });
  await course('history', { titleZh: '中国近代史纲要', descriptionZh: '从鸦片战争到新中国成立。' });
  await course('draft', { titleZh: '线性代数(下)', published: false });
});
afterAll(async () => {
  await closeTestSql();
  await drizzleSql.end({ timeout: 2 });
});

describe('Chinese search', () => {
  it('finds 线性代数(上) first for 线性代数, then courses that mention it, and never a draft', async () => {
    const titles = await titlesFor('线性代数');
    expect(titles[0]).toBe('线性代数(上)');
    expect(titles).toContain('高等代数');
    expect(titles).toContain('大学物理'); // only its captions mention it
    expect(titles).not.toContain('中国近代史纲要');
    expect(titles).not.toContain('线性代数(下)');
    // The course that names it in full ranks above the one with 线性…代数 only apart.
    expect(titles).toContain('数值分析');
    expect(titles.indexOf('高等代数')).toBeLessThan(titles.indexOf('数值分析'));
  });

  it('finds 线性代数(上) first for the abbreviation 线代', async () => {
    const titles = await titlesFor('线代');
    expect(titles[0]).toBe('线性代数(上)');
    expect(titles).not.toContain('中国近代史纲要');
  });

  it('searches caption text', async () => {
    expect(await titlesFor('量子力学')).toEqual(['大学物理']);
  });

  it('treats SQL and LIKE wildcards as text and shows an honest empty result', async () => {
    expect(await titlesFor("%' or 1=1 --")).toEqual([]);
    // Punctuation is not part of any token: wildcards change nothing.
    expect(await titlesFor('线代_%')).toEqual(await titlesFor('线代'));
  });

  it('keeps every filter in the URL, and pages through long results', async () => {
    for (let i = 0; i < 21; i++) await course(`bulk-${i}`, { titleZh: `概率论第${i}册` });
    const first = await (await fetch(`${baseUrl}/courses?q=${encodeURIComponent('概率')}&institution=${schoolSlug}&subject=mathematics`)).text();
    expect(first).toContain(`“概率”：共 21 门课程`);
    expect(first.match(/class="course-card"/g)).toHaveLength(20);
    const next = /<a href="([^"]+)" rel="next">/.exec(first)![1]!.replaceAll('&amp;', '&');
    expect(next).toContain('subject=mathematics');
    expect(next).toContain(`institution=${schoolSlug}`);
    const second = await (await fetch(baseUrl + next)).text();
    expect(second.match(/class="course-card"/g)).toHaveLength(1);
    expect(second).toContain('rel="prev"');
  });
});

describe('enrolment rules', () => {
  it('an institution-only course takes its own students and refuses others, who cannot open its lessons', async () => {
    const own = await course('own-only', { titleZh: '校内课程', policy: 'institution', institutionId: await institutionIdBySlug('fjnu') });
    const [lesson] = await testSql()<{ id: string }[]>`select id from lessons where course_id = ${own.id}`;
    const outsider = await signUpStudent('fzu');
    const refused = await outsider.post(`/courses/${own.slug}`, { intent: 'enrol' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('这门课只对开课学校的学生开放');
    const lessonPage = await outsider.get(`/lessons/${lesson!.id}`);
    expect([lessonPage.status, lessonPage.headers.get('location')]).toEqual([302, `/courses/${own.slug}?enrol=required`]);

    const member = await signUpStudent('fjnu');
    const accepted = await member.post(`/courses/${own.slug}`, { intent: 'enrol' });
    expect([accepted.status, accepted.headers.get('location')]).toEqual([302, `/courses/${own.slug}?enrolled=1`]);
    expect((await member.get(`/lessons/${lesson!.id}`)).status).toBe(200);
    expect(await testSql()`select 1 from enrolments where course_id = ${own.id}`).toHaveLength(1);
  });

  it('a cross-university elective takes partner institutions’ students only', async () => {
    const elective = await course('elective', { titleZh: '跨校选修课', policy: 'partners', institutionId: await institutionIdBySlug('mju') });
    await testSql()`insert into course_partners (course_id, institution_id) values (${elective.id}, ${await institutionIdBySlug('fzu')})`;
    expect((await (await signUpStudent('fzu')).post(`/courses/${elective.slug}`, { intent: 'enrol' })).status).toBe(302);
    expect((await (await signUpStudent('mju')).post(`/courses/${elective.slug}`, { intent: 'enrol' })).status).toBe(302);
    const other = await (await signUpStudent('fjnu')).post(`/courses/${elective.slug}`, { intent: 'enrol' });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('合作院校');
    expect(await testSql()`select 1 from enrolments where course_id = ${elective.id}`).toHaveLength(2);
  });

  it('a draft course has no public page and cannot be enrolled in', async () => {
    const student = await signUpStudent('fzu');
    expect((await student.get(`/courses/draft-${tag}`)).status).toBe(404);
    expect((await student.post(`/courses/draft-${tag}`, { intent: 'enrol' })).status).toBe(404);
  });
});

describe('completion records', () => {
  it('are issued when every lesson is done, carry a snapshot, and can never be changed or deleted', async () => {
    const c = await course('completable', { titleZh: '可结业课程', credits: '1.5' });
    await testSql()`insert into lessons (course_id, position, title_zh, body_zh) values (${c.id}, 2, '第二讲', '第二讲的正文')`;
    const lessonIds = (await testSql()<{ id: string }[]>`select id from lessons where course_id = ${c.id} order by position`).map((l) => l.id);
    const student = await signUpStudent('fzu');
    expect((await student.post(`/courses/${c.slug}`, { intent: 'enrol' })).status).toBe(302);

    expect(await (await student.get(`/lessons/${lessonIds[0]}`)).text()).toContain('这一讲已完成');
    let page = await (await student.get(`/courses/${c.slug}`)).text();
    expect(page).toContain('已完成 1 / 2 讲');
    expect(page).toContain(`/lessons/${lessonIds[1]}`); // continue where they left off: the next lesson
    await (await student.get(`/lessons/${lessonIds[1]}`)).text();

    const records = await testSql()`select * from completion_records where course_id = ${c.id}`;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ course_title_zh: '可结业课程', credits: '1.5', class_hours: 32, final_grade: null, institution_name_zh: `搜索测试大学${tag}` });
    page = await (await student.get(`/courses/${c.slug}`)).text();
    expect(page).toContain('你已完成这门课程（合格）');

    // Changing the course later leaves the issued record as it was.
    await testSql()`update courses set credits = 4, title_zh = '改名后的课程' where id = ${c.id}`;
    expect((await testSql()`select credits, course_title_zh from completion_records where course_id = ${c.id}`)[0]).toEqual({ credits: '1.5', course_title_zh: '可结业课程' });
    await expect(testSql()`update completion_records set final_grade = 100 where course_id = ${c.id}`).rejects.toThrow(/immutable/);
    await expect(testSql()`delete from completion_records where course_id = ${c.id}`).rejects.toThrow(/immutable/);
    // Visiting again issues nothing new.
    await (await student.get(`/lessons/${lessonIds[1]}`)).text();
    expect(await testSql()`select 1 from completion_records where course_id = ${c.id}`).toHaveLength(1);
  });
});
