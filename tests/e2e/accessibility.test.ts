import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { launchChromium } from '../support/chromium.js';

const baseUrl = inject('baseUrl');
const axeSource = createRequire(import.meta.url)('axe-core').source as string;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

// bypassCSP lets the test inject axe-core; our pages' own scripts still run under the CSP.
/** axe-core's WCAG 2.1 A/AA rules, run in the page; returns the serious and critical findings. */
async function seriousViolations(page: Page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('pages pass axe-core’s WCAG 2.1 AA checks (no serious or critical findings)', () => {
  const anonymous = ['/', '/login', '/signup', '/no-such-page'];
  for (const path of anonymous) {
    it(`anonymous ${path}`, async () => {
      const page = await (await browser.newContext({ bypassCSP: true })).newPage();
      await page.goto(baseUrl + path);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('the signup form with errors shown', async () => {
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${baseUrl}/signup`);
    await page.getByRole('button', { name: '注册' }).click();
    await page.getByText('此项必填。').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  const adminPages = ['/', '/account', '/account/delete', '/admin/institutions', '/admin/people?q=demo', '/admin/audit', '/institutions/fzu/members'];
  it(`admin pages: ${adminPages.join(' ')}`, async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('电子邮箱').fill('admin@demo.edu.cn');
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: /你好/ }).waitFor();
    for (const path of adminPages) {
      await page.goto(baseUrl + path);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await context.close();
  });

  async function signedInPage(email: string) {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: /你好/ }).waitFor();
    return { context, page };
  }

  it('credit pages: the public lookup with an answer, the student’s, the registrar’s and the ledger', async () => {
    const anonymous = await (await browser.newContext({ bypassCSP: true })).newPage();
    await anonymous.goto(`${baseUrl}/credits/lookup`);
    await anonymous.getByRole('button', { name: '查询' }).click();
    await anonymous.getByRole('status').waitFor();
    expect(await seriousViolations(anonymous), '/credits/lookup answered').toEqual([]);
    await anonymous.close();
    for (const [email, paths] of [
      ['student@demo.edu.cn', ['/credits', '/credits/transcript']],
      ['registrar@demo.edu.cn', ['/institutions/fjnu/credits', '/institutions/fjnu/credits/rules', '/institutions/fjnu/credits/policy']],
      ['admin@demo.edu.cn', ['/admin/ledger']],
    ] as const) {
      const { context, page } = await signedInPage(email);
      for (const path of paths) {
        await page.goto(baseUrl + path);
        expect(await seriousViolations(page), path).toEqual([]);
      }
      await context.close();
    }
  });
});
