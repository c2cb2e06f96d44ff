import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makePdf } from '../../app/features/studio/material-fixtures.js';
import { launchChromium, logIn } from '../support/chromium.js';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';

const baseUrl = inject('baseUrl');
const shots = path.join(projectRoot, 'test-results/screenshots');
let browser: Browser;
let dir = '';

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(path.join(tmpdir(), 'edu-studio-'));
});
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
  await closeTestSql();
});

async function loggedIn(email: string): Promise<Page> {
  return (await logIn(browser, baseUrl, email, { context: { viewport: { width: 1024, height: 800 } } })).page;
}

const lessonTitles = async (page: Page) => (await page.locator('.outline-lesson .outline-title').allTextContents()).map((t) => t.replace(/^\d+\.\s*/, ''));

describe('a teacher builds and publishes a course', () => {
  it('from the home page to a published course in the catalog, reordering by keyboard, with text and a material', async () => {
    const title = `电路分析${Date.now().toString(36)}`;
    const page = await loggedIn('teacher@demo.edu.cn');
    await page.getByRole('link', { name: '教学工作室' }).click();
    await page.getByRole('heading', { name: '教学工作室' }).waitFor();
    await page.getByLabel('课程名称（中文）').fill(title);
    await page.getByLabel('课程名称（英文，可选）').fill('Circuit Analysis');
    await page.getByRole('button', { name: '创建课程' }).click();
    await page.getByRole('heading', { name: `编辑课程：${title}` }).waitFor();
    expect(await page.locator('[data-course-status]').getAttribute('data-course-status')).toBe('draft');

    // A module and two lessons, each through a plain form.
    await page.locator('#new-module-zh').fill('第一单元：电路基础');
    await page.getByRole('button', { name: '添加单元' }).click();
    for (const lesson of ['欧姆定律', '基尔霍夫定律']) {
      await page.locator('.outline-module summary', { hasText: '在此单元添加课时' }).click();
      await page.locator('.outline-module input[id^="al-"][id$="-zh"]').fill(lesson);
      await page.locator('.outline-module').getByRole('button', { name: '在此单元添加课时' }).click();
      await page.locator('.outline-title', { hasText: lesson }).waitFor();
    }
    expect(await lessonTitles(page)).toEqual(['欧姆定律', '基尔霍夫定律']);

    // Reorder with the keyboard alone: focus the move button and press Enter.
    await page.getByRole('button', { name: '上移课时“基尔霍夫定律”' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('已移动。').waitFor();
    expect(await lessonTitles(page)).toEqual(['基尔霍夫定律', '欧姆定律']);
    expect(page.url()).toMatch(/#lesson-/);

    // Catalog fields, with exact decimal credits.
    await page.getByLabel('学分').fill('2.5');
    await page.getByLabel('学时').fill('32');
    await page.getByLabel('学科').selectOption('engineering');
    await page.getByLabel('简介（中文，一句话）').fill('直流与交流电路的分析方法。');
    await page.getByRole('button', { name: '保存课程信息' }).click();
    await page.getByText('已保存。').waitFor();
    await page.screenshot({ path: path.join(shots, 'studio-course-editor.png'), fullPage: true });

    // Lesson text, then a PDF material, for the first lesson.
    await page.locator('.outline-lesson', { hasText: '基尔霍夫定律' }).getByRole('link', { name: '正文' }).click();
    await page.getByLabel('正文（中文）').fill('# 基尔霍夫电流定律\n\n流入节点的电流之和等于流出的电流之和。\n\n- **KCL**\n- *KVL*');
    await page.getByRole('button', { name: '保存正文' }).click();
    await page.getByText('已保存（第 2 版）。').waitFor();
    expect(await page.locator('.lesson-text h2').textContent()).toBe('基尔霍夫电流定律');
    await page.screenshot({ path: path.join(shots, 'studio-lesson-text.png'), fullPage: true });

    await page.getByRole('link', { name: '资料' }).click();
    const pdf = path.join(dir, '第一讲讲义.pdf');
    await writeFile(pdf, makePdf('KCL'));
    await page.getByLabel('文件').setInputFiles(pdf);
    await page.getByRole('button', { name: '上传资料' }).click();
    await page.getByText('已上传 第一讲讲义.pdf。').waitFor();
    await page.screenshot({ path: path.join(shots, 'studio-materials.png'), fullPage: true });

    // Publish.
    await page.getByRole('link', { name: '返回课程' }).click();
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.getByText('课程已发布').waitFor();
    expect(await page.locator('[data-course-status]').getAttribute('data-course-status')).toBe('published');
    const [course] = await testSql()<{ published_at: Date | null; credits: string; lessons: number }[]>`
      select published_at, credits, (select count(*)::int from lessons l where l.course_id = c.id) as lessons from courses c where title_zh = ${title}`;
    expect(course!.published_at).not.toBeNull();
    expect([course!.credits, course!.lessons]).toEqual(['2.5', 2]);

    // It is in the public catalog now, found by its Chinese title.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${baseUrl}/courses?q=${encodeURIComponent(title)}`);
    await visitor.getByRole('link', { name: title }).click();
    await visitor.getByRole('heading', { level: 1, name: title }).waitFor();
    expect(await visitor.locator('body').textContent()).toContain('基尔霍夫定律');
    await visitor.context().close();

    await page.getByRole('link', { name: '学习统计' }).click();
    await page.getByRole('heading', { name: `学习统计：${title}` }).waitFor();
    await page.screenshot({ path: path.join(shots, 'studio-stats.png'), fullPage: true });
    await page.goto(`${baseUrl}/studio`);
    expect(await page.locator('.course-list li', { hasText: title }).textContent()).toContain('已发布');
    await page.screenshot({ path: path.join(shots, 'studio-home.png'), fullPage: true });
    await page.context().close();
  });
});
