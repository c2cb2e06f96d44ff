import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { launchChromium, logIn } from '../support/chromium.js';
import { newCourse, signUpStudent } from '../support/credits.js';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';

const baseUrl = inject('baseUrl');
const shots = path.join(projectRoot, 'test-results/screenshots');
const axeSource = createRequire(import.meta.url)('axe-core').source as string;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await closeTestSql();
});

async function seriousViolations(page: Page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const signIn = (email: string, password: string) => logIn(browser, baseUrl, email, { password, context: { bypassCSP: true, locale: 'zh-CN', viewport: { width: 1100, height: 900 } } });

describe('credit recognition journey', () => {
  it('a student completes a course, requests recognition, the registrar approves, the transcript shows it and the credential verifies', async () => {
    // An online course of another university, with one lesson and its quiz.
    const course = await newCourse('mju', '3.0', 48);
    await testSql()`update courses set published_at = now() where id = ${course.id}`;
    const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh, body_zh) values (${course.id}, 1, '第一讲：线性表', '顺序表与链表。') returning id`;
    const [quiz] = await testSql()<{ id: string }[]>`insert into quizzes (lesson_id, attempts_allowed) values (${lesson!.id}, 1) returning id`;
    await testSql()`insert into quiz_items (quiz_id, position, kind, prompt_zh, options, answer_key) values
      (${quiz!.id}, 1, 'single', '在链表中已知位置插入一个结点，时间复杂度是？', ${testSql().json([{ id: 'o1', labelZh: '常数时间' }, { id: 'o2', labelZh: '线性时间' }])}, ${testSql().json({ kind: 'single', optionId: 'o1' })})`;
    const person = await signUpStudent(baseUrl, 'fjnu', '郑晓晴');

    // The student completes it in the browser: enrol, read the lesson, pass the quiz.
    const student = await signIn(person.email, 'a-long-enough-password');
    await student.page.goto(`${baseUrl}/courses/${course.slug}`);
    await student.page.getByRole('button', { name: '选修这门课' }).click();
    await student.page.getByRole('link', { name: '开始学习' }).click();
    await student.page.getByRole('heading', { level: 1, name: '第一讲：线性表' }).waitFor();
    await student.page.getByRole('link', { name: /测验/ }).first().click();
    await student.page.getByLabel('常数时间').check();
    await student.page.getByRole('button', { name: /提交第 1 次作答/ }).click();
    await student.page.getByText(/得分：1(\.00)? \/ 1/).waitFor();
    await student.page.goto(`${baseUrl}/courses/${course.slug}`);
    await student.page.getByText('你已完成这门课程：总评 100.00').waitFor();

    await student.page.goto(`${baseUrl}/`);
    await student.page.getByRole('link', { name: '学分认定' }).click();
    await student.page.getByText('申请认定').click();
    await student.page.getByLabel('对应本校课程').check();
    await student.page.getByLabel('本校课程代码（可选）').fill('CS201');
    await student.page.getByLabel('本校课程名称（可选）').fill('数据结构');
    await student.page.getByLabel('补充说明或材料链接（可选）').fill('课程大纲与本校 CS201 一致。');
    await student.page.getByRole('button', { name: '提交申请' }).click();
    await student.page.getByText('申请已提交。').waitFor();
    expect(await student.page.getByRole('heading', { level: 1 }).textContent()).toContain('审核中');
    expect(await seriousViolations(student.page)).toEqual([]);
    await student.page.screenshot({ path: path.join(shots, 'credits-1-request-submitted.png'), fullPage: true });

    const registrar = await signIn('registrar@demo.edu.cn', demoPassword);
    await registrar.page.goto(`${baseUrl}/institutions/fjnu/credits?status=in-review&course=${course.id}`);
    await registrar.page.screenshot({ path: path.join(shots, 'credits-2-registrar-queue.png'), fullPage: true });
    await registrar.page.getByRole('link', { name: course.slug }).click();
    await registrar.page.getByText('按当前转换表（第 1 版）：A (4.00)').waitFor();
    expect(await seriousViolations(registrar.page)).toEqual([]);
    await registrar.page.screenshot({ path: path.join(shots, 'credits-3-registrar-decision.png'), fullPage: true });
    await registrar.page.getByLabel('认定学分').fill('3.0');
    await registrar.page.getByRole('button', { name: '批准并记入成绩单' }).click();
    await registrar.page.getByText('已保存决定。').waitFor();

    await student.page.goto(`${baseUrl}/credits/transcript`);
    const row = student.page.getByRole('row', { name: new RegExp(course.slug) });
    expect(await row.textContent()).toMatch(/CS201 数据结构.*3\.0.*A \(4\.00\)/);
    expect(await student.page.getByText('合计认定学分：3.0').count()).toBe(1);
    expect(await seriousViolations(student.page)).toEqual([]);
    await student.page.screenshot({ path: path.join(shots, 'credits-4-transcript.png'), fullPage: true });

    await student.page.goto(`${baseUrl}/credits`);
    await student.page.getByRole('link', { name: new RegExp(course.slug) }).click();
    await student.page.getByRole('button', { name: '生成可验证凭证' }).click();
    await student.page.getByRole('link', { name: '凭证验证' }).click();
    await student.page.getByText('有效：签名正确，签发学校为 福建师范大学，未被撤销。').waitFor();
    expect(await seriousViolations(student.page)).toEqual([]);
    await student.page.screenshot({ path: path.join(shots, 'credits-5-credential.png'), fullPage: true });

    // Anyone who scans the code sees the same verdict, signed in or not.
    const anonymous = await browser.newPage();
    await anonymous.goto(student.page.url());
    expect(await anonymous.locator('[data-credential-valid]').getAttribute('data-credential-valid')).toBe('yes');
    await anonymous.close();
    await student.context.close();
    await registrar.context.close();
  });
});
