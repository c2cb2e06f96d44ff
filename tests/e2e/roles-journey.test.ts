import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword, demoUsers } from '../../db/seed/demo-data.js';
import { answerSecondFactor, launchChromium } from '../support/chromium.js';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';

const baseUrl = inject('baseUrl');
const shots = path.join(projectRoot, 'test-results/screenshots');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  // Each journey starts from the platform's default language for the demo accounts.
  await testSql()`update users set locale = 'zh-CN' where email like '%@demo.edu.cn'`;
  browser = await launchChromium();
});
// A journey that fails half-way must not leave a demo account in English for later files.
afterEach(async () => {
  await testSql()`update users set locale = 'zh-CN' where email like '%@demo.edu.cn'`;
});
afterAll(async () => {
  await browser?.close();
  await closeTestSql();
});

const panelTitles = {
  student: ['学生：我的学习', 'Student: my learning'],
  teacher: ['教师：我的课程', 'Teacher: my courses'],
  assistant: ['助教：接收教室', 'Assistant: receiving classroom'],
  registrar: ['教务：学分认定', 'Registrar: credit recognition'],
  institution_admin: ['机构管理员：入驻与名册', 'Institution administrator: onboarding and rosters'],
  admin: ['管理员：全省平台', 'Administrator: the provincial platform'],
} as const;

describe('each demo role logs in and sees its own home page, in Chinese and in English', () => {
  for (const user of demoUsers) {
    it(`${user.role}`, async () => {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/login`);
      await page.getByLabel('电子邮箱').fill(user.email);
      await page.getByLabel('密码').fill(demoPassword);
      await page.getByRole('button', { name: '登录' }).click();
      await answerSecondFactor(page, user.email);
      // Hydrated pages update the URL a moment before React commits the new page: wait for the page itself.
      await page.getByRole('heading', { name: `你好，${user.displayName}` }).waitFor({ timeout: 30_000 });
      expect(page.url()).toBe(`${baseUrl}/`);
      expect(Object.keys(panelTitles), `a home panel is named for the demo ${user.role}`).toContain(user.role);
      const [zhTitle, enTitle] = panelTitles[user.role as keyof typeof panelTitles];
      expect(await page.getByRole('heading', { name: zhTitle }).isVisible()).toBe(true);
      // Only their own role's panel: a student sees no administrator panel.
      for (const [role, [other]] of Object.entries(panelTitles)) {
        if (role !== user.role) expect(await page.getByRole('heading', { name: other }).count()).toBe(0);
      }
      expect(await page.getByRole('link', { name: '管理后台', exact: true }).count()).toBe(user.role === 'admin' ? 1 : 0);
      await page.screenshot({ path: path.join(shots, `home-${user.role}-zh.png`), fullPage: true });

      await page.getByRole('button', { name: /English/ }).click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Hello, ${user.displayName}`);
      expect(await page.getByRole('heading', { name: enTitle }).isVisible()).toBe(true);
      await page.screenshot({ path: path.join(shots, `home-${user.role}-en.png`), fullPage: true });

      // The choice is remembered for the account: a fresh browser logging in gets English.
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('link', { name: /^(Log in|登录)$/ }).first().waitFor({ timeout: 30_000 });
      const fresh = await browser.newContext();
      const p2 = await fresh.newPage();
      await p2.goto(`${baseUrl}/login`);
      await p2.getByLabel('电子邮箱').fill(user.email);
      await p2.getByLabel('密码').fill(demoPassword);
      await p2.getByRole('button', { name: '登录' }).click();
      await answerSecondFactor(p2, user.email);
      await p2.waitForURL(`${baseUrl}/`);
      // The login page is hydrated, so the home page arrives by client-side navigation.
      await p2.getByRole('heading', { name: `Hello, ${user.displayName}` }).waitFor({ timeout: 30_000 });
      expect(await p2.getAttribute('html', 'lang')).toBe('en');
      // Put it back for the other tests.
      await p2.getByRole('button', { name: /中文/ }).click();
      await p2.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      await fresh.close();
      await context.close();
    });
  }
});

describe('keyboard and no-JavaScript use', () => {
  it('logs in with the keyboard alone: skip link, fields, Enter', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到主要内容');
    await page.keyboard.press('Enter');
    await page.locator('#login-email').focus();
    await page.keyboard.type('student@demo.edu.cn');
    await page.keyboard.press('Tab');
    await page.keyboard.type(demoPassword);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '你好，林晓雨' }).waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${baseUrl}/`);
    await context.close();
  });

  it('shows field errors on a bad sign-up with JavaScript turned off, keeping what was typed', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('姓名').fill('无脚本学生');
    await page.getByLabel('电子邮箱').fill('bad-email');
    await page.getByLabel(/密码/).fill('short');
    await page.getByRole('button', { name: '注册' }).click();
    await page.waitForLoadState();
    expect(await page.getByText('请输入有效的电子邮箱').isVisible()).toBe(true);
    expect(await page.getByLabel('姓名').inputValue()).toBe('无脚本学生');
    expect(await page.getByLabel(/密码/).inputValue()).toBe('');
    expect(await page.getByLabel('电子邮箱').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: path.join(shots, 'signup-errors-nojs.png'), fullPage: true });
    await context.close();
  });
});
