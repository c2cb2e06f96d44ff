import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, logIn } from '../support/chromium.js';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';

const baseUrl = inject('baseUrl');
const shots = path.join(projectRoot, 'test-results/screenshots');
const run = randomBytes(2).toString('hex');
const year = new Date().getFullYear();
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  await testSql()`update users set locale = 'zh-CN' where email like '%@demo.edu.cn'`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await closeTestSql();
});

/** Every page looked at on a laptop and on a phone. */
async function shoot(page: Page, name: string) {
  for (const [w, h] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: path.join(shots, `onboarding-${name}-${w}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

const className = `三年级（${run}）班`;
const rows = (extra: string[][] = []) =>
  [['学号', '姓名', '班级', '出生日期', '监护人姓名', '监护人关系', '监护人同意'], [`E${run}-1`, '小红', className, `${year - 9}-05-01`, '红妈妈', '母亲', '是'], [`E${run}-2`, '小刚', className, `${year - 9}-06-01`, '刚爸爸', '父亲', '是'], ...extra]
    .map((r) => r.join(','))
    .join('\n');

describe('a school’s administrator imports pupils; a pupil signs in on the classroom device', () => {
  it('dry run with bad rows, fixed file, confirm, codes once, device set-up, pupil sign-in', async () => {
    const { context, page } = await logIn(browser, baseUrl, 'inst-admin@demo.edu.cn', { context: { locale: 'zh-CN', viewport: { width: 1280, height: 800 } } });
    await shoot(page, 'home');
    await page.getByRole('link', { name: '光泽县第一中学 管理台' }).click();
    await page.getByRole('heading', { name: '光泽县第一中学 入驻概况' }).waitFor();
    await shoot(page, 'overview');
    for (const [link, heading, name] of [
      ['教职工', '教职工', 'staff'],
      ['邮箱域名', '邮箱域名', 'domains'],
      ['教室', '教室', 'classrooms'],
    ] as const) {
      await page.getByRole('navigation', { name: '机构管理台' }).getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
      await shoot(page, name);
    }

    await page.getByRole('navigation', { name: '机构管理台' }).getByRole('link', { name: '名册导入' }).click();
    await page.getByRole('heading', { level: 1, name: '名册导入' }).waitFor();
    await shoot(page, 'rosters');
    // A file with a child whose guardian's consent is missing: listed, nothing applied.
    await page.getByLabel('名册文件').setInputFiles({ name: 'pupils.csv', mimeType: 'text/csv', buffer: Buffer.from(rows([[`E${run}-3`, '小明', className, `${year - 9}-07-01`, '', '', '']])) });
    await page.getByRole('button', { name: '试运行检查' }).click();
    await page.getByRole('alert').filter({ hasText: '未导入任何数据' }).waitFor();
    const issues = page.getByRole('region', { name: '名册问题' });
    expect(await issues.getByRole('row').count()).toBe(4); // header + guardian name, relation, consent of line 4
    expect(await issues.getByRole('cell', { name: '未满 14 周岁，须记录监护人同意（填“是”）' }).count()).toBe(1);
    await shoot(page, 'rosters-dry-run-issues');
    expect(await testSql()`select 1 from roster_entries where external_id like ${`E${run}-%`}`).toHaveLength(0);

    await page.getByLabel('名册文件').setInputFiles({ name: 'pupils.csv', mimeType: 'text/csv', buffer: Buffer.from(rows()) });
    await page.getByRole('button', { name: '试运行检查' }).click();
    await page.getByText('将新增 2 人').waitFor();
    await shoot(page, 'rosters-dry-run-ok');
    expect(await testSql()`select 1 from roster_entries where external_id like ${`E${run}-%`}`).toHaveLength(0);
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByRole('status').filter({ hasText: '名册已导入' }).waitFor();
    const code = (await page.locator(`[data-code-for="E${run}-1"]`).textContent())!;
    expect(code).toMatch(/^\d{6}$/);
    await shoot(page, 'rosters-applied-codes');

    // The admin makes this browser the classroom device, then a pupil uses it.
    await page.getByRole('navigation', { name: '机构管理台' }).getByRole('link', { name: '概况' }).click();
    await page.getByRole('button', { name: '把这台电脑设为教室设备' }).click();
    await page.getByRole('heading', { name: '光泽县第一中学：请选择你的班级' }).waitFor();
    await shoot(page, 'device-classes');
    await page.getByRole('link', { name: className }).click();
    await page.getByRole('heading', { name: `${className}：点选你的名字` }).waitFor();
    await shoot(page, 'device-names');
    await page.getByRole('radio', { name: '小红' }).check();
    await page.getByLabel('登录码（六位数字）').fill(code === '000000' ? '000001' : '000000');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '登录码不对' }).waitFor();
    await shoot(page, 'device-wrong-code');
    await page.getByRole('radio', { name: '小红' }).check();
    await page.getByLabel('登录码（六位数字）').fill(code);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { name: '你好，小红' }).waitFor();
    await shoot(page, 'pupil-home');
    await context.close();
  });

  it('a browser nobody set up shows no class and no name', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/device`);
    await page.getByText('这台电脑还不是教室设备').waitFor();
    expect(await page.getByRole('link', { name: className }).count()).toBe(0);
    await shoot(page, 'device-not-set-up');
    await context.close();
  });
});
