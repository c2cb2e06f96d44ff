import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueEmail } from '../support/browserless.js';
import { launchChromium } from '../support/chromium.js';
import { closeTestSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';
import { linkIn, waitForMail } from '../support/mailbox.js';

const baseUrl = inject('baseUrl');
const shots = path.join(projectRoot, 'test-results/screenshots');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await closeTestSql();
});

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

describe('a student in Chromium', () => {
  it('signs up, confirms the address from the mail, forgets the password, resets it from the mail and logs in with the new one', async () => {
    const email = uniqueEmail('recovery');
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();

    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('姓名').fill('找回密码的学生');
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel(/密码/).fill('first-password-1');
    await page.getByLabel('所在学校').selectOption({ label: '福州大学' });
    await page.getByLabel('出生日期').fill('2005-03-04');
    await page.getByLabel(/我已阅读并同意/).check();
    await shoot(page, 'signup-filled-390');
    await page.getByRole('button', { name: '注册' }).click();
    await page.getByRole('heading', { name: '请查收邮件' }).waitFor();
    await shoot(page, 'signup-sent-390');

    const verify = linkIn(await waitForMail(email, { subject: /确认/ }), '/account/verify-email');
    await page.goto(verify.href.replace(verify.origin, baseUrl));
    await shoot(page, 'verify-email-390');
    await page.getByRole('button', { name: '确认邮箱地址' }).click();
    await page.getByText('邮箱地址已确认。').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.getByRole('link', { name: '忘记密码？' }).click();
    await page.getByRole('heading', { name: '找回密码' }).waitFor();
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByRole('button', { name: '发送重置链接' }).click();
    await page.getByText('如果这个邮箱有账号，重置密码的邮件已经发出').waitFor();
    await shoot(page, 'forgot-sent-390');

    const reset = linkIn(await waitForMail(email, { subject: /重置/ }), '/reset-password');
    await page.goto(reset.href.replace(reset.origin, baseUrl));
    await page.getByRole('textbox', { name: /新密码/ }).fill('second-password-2');
    await shoot(page, 'reset-form-390');
    await page.getByRole('button', { name: '保存新密码' }).click();
    await page.getByText('密码已重置').waitFor();

    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel('密码').fill('second-password-2');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '你好，找回密码的学生' }).waitFor();
    await context.close();
  });
});
