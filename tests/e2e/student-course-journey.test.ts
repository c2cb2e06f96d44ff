import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../../db/client.js';
import { refreshCourseSearch } from '../../db/course-search.js';
import { uniqueEmail } from '../support/browserless.js';
import { launchChromium } from '../support/chromium.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { projectRoot, testServiceEnv } from '../support/env.js';

const baseUrl = inject('baseUrl');
const shots = path.join(projectRoot, 'test-results/screenshots');
const { db, sql: drizzleSql } = createDatabase(testServiceEnv().DATABASE_URL, { max: 1 });
const slug = `harmony-dev-${Date.now().toString(36)}`;
let browser: Browser;

// A course of two text lessons and a quiz, as a teacher would have published it.
beforeAll(async () => {
  browser = await launchChromium();
  const [course] = await testSql()<{ id: string }[]>`
    insert into courses (institution_id, slug, title_zh, title_en, summary_zh, subject, level, credits, class_hours, published_at)
    values (${await institutionIdBySlug('mju')}, ${slug}, '鸿蒙应用开发实践', 'HarmonyOS App Development', '从零开始写一个鸿蒙应用。', 'computing', 'gold', '2.0', 32, now())
    returning id`;
  const [mod] = await testSql()<{ id: string }[]>`insert into course_modules (course_id, position, title_zh) values (${course!.id}, 1, '第一单元：入门') returning id`;
  await testSql()`insert into lessons (course_id, module_id, position, title_zh, body_zh) values
    (${course!.id}, ${mod!.id}, 1, '第一讲：开发环境', '安装开发工具，创建第一个工程。'),
    (${course!.id}, ${mod!.id}, 2, '第二讲：界面布局', '用声明式界面描述页面。'),
    (${course!.id}, ${mod!.id}, 3, '第三讲：小测验', '')`;
  const [quizLesson] = await testSql()<{ id: string }[]>`select id from lessons where course_id = ${course!.id} and position = 3`;
  const [quiz] = await testSql()<{ id: string }[]>`insert into quizzes (lesson_id, attempts_allowed) values (${quizLesson!.id}, 2) returning id`;
  await testSql()`insert into quiz_items (quiz_id, position, kind, prompt_zh, options, answer_key, feedback_zh) values
    (${quiz!.id}, 1, 'single', '鸿蒙应用的界面用什么方式描述？', ${testSql().json([{ id: 'o1', labelZh: '声明式' }, { id: 'o2', labelZh: '命令式' }])}, ${testSql().json({ kind: 'single', optionId: 'o1' })}, '第二讲讲过。'),
    (${quiz!.id}, 2, 'numeric', '二加三等于几？', '[]'::jsonb, ${testSql().json({ kind: 'numeric', value: 5, tolerance: 0 })}, '五。')`;
  await refreshCourseSearch(db, course!.id);
});
afterAll(async () => {
  await browser?.close();
  await closeTestSql();
  await drizzleSql.end({ timeout: 2 });
});

describe('a student in Chromium', () => {
  it('signs up, finds a course by a Chinese query, enrols, completes its lessons and a quiz, and sees the course complete', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1024, height: 800 } })).newPage();
    await page.goto(`${baseUrl}/signup`);
    const email = uniqueEmail('journey');
    await page.getByLabel('姓名').fill('旅程学生');
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel(/密码/).fill('journey-password-1');
    await page.getByLabel('学校').selectOption({ label: '福州大学' });
    await page.getByLabel('出生日期').fill('2004-09-01');
    await page.getByLabel(/我已阅读并同意/).check();
    await page.getByRole('button', { name: '注册' }).click();
    await page.getByRole('heading', { name: '请查收邮件' }).waitFor();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel('密码').fill('journey-password-1');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: /你好/ }).waitFor();

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '课程目录' }).click();
    await page.getByLabel('搜索课程').fill('鸿蒙开发');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.getByRole('status').filter({ hasText: '“鸿蒙开发”' }).waitFor();
    expect(page.url()).toContain(`q=${encodeURIComponent('鸿蒙开发')}`);
    await page.getByRole('link', { name: '鸿蒙应用开发实践' }).first().click();

    await page.getByRole('heading', { level: 1, name: '鸿蒙应用开发实践' }).waitFor();
    await page.getByRole('button', { name: '选修这门课' }).click();
    await page.getByText('选课成功，开始学习吧！').waitFor();
    await page.getByRole('link', { name: '开始学习' }).click();
    await page.getByRole('heading', { level: 1, name: '第一讲：开发环境' }).waitFor();
    await page.getByText('这一讲已完成。').waitFor();
    await page.getByRole('link', { name: /下一讲/ }).click();
    await page.getByRole('heading', { level: 1, name: '第二讲：界面布局' }).waitFor();
    await page.getByRole('link', { name: /下一讲/ }).click();

    // The quiz lesson: take the quiz, see the score and the feedback.
    await page.getByRole('heading', { level: 1, name: '第三讲：小测验' }).waitFor();
    await page.getByRole('link', { name: /测验/ }).first().click();
    await page.getByLabel('声明式').check();
    await page.getByRole('group', { name: /二加三等于几/ }).locator('input').fill('5');
    await page.getByRole('button', { name: /提交第 1 次作答/ }).click();
    await page.getByText(/得分：2(\.00)? \/ 2/).waitFor();
    await page.screenshot({ path: path.join(shots, 'quiz-result.png'), fullPage: true });

    await page.goto(`${baseUrl}/courses/${slug}`);
    await page.getByText('你已完成这门课程：总评 100.00').waitFor();
    expect(await page.getByText('已完成 3 / 3 讲').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: '继续学习' }).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'course-complete.png'), fullPage: true });
    const records = await testSql()`select r.credits, r.final_grade from completion_records r join courses c on c.id = r.course_id where c.slug = ${slug}`;
    expect(records).toEqual([{ credits: '2.0', final_grade: '100.00' }]);

    // The home page lists the course as completed.
    await page.goto(`${baseUrl}/`);
    expect(await page.getByRole('link', { name: '鸿蒙应用开发实践' }).isVisible()).toBe(true);
    expect(await page.getByText('已结业').isVisible()).toBe(true);
    await page.context().close();
  });
});
