import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { signUpStudent } from '../support/credits.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';
import { currentTotpCode, currentTotpStep, freshTotpCode, rememberTotpSecret } from '../support/totp.js';

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
  for (const [w, h] of [[1280, 800], [390, 844]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: path.join(shots, `${name}-${w}x${h}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function passwordStep(page: Page, email: string, target: string) {
  await page.goto(`${baseUrl}/login?redirectTo=${encodeURIComponent(target)}`);
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill('a-long-enough-password');
  await page.getByRole('button', { name: '登录' }).click();
}

describe('two-step verification journey', () => {
  it('a new registrar enrols an authenticator at first sign-in, saves recovery codes, and from then on signs in with a code', async () => {
    const person = await signUpStudent(baseUrl, 'mju', '新来的教务老师');
    await testSql()`insert into memberships (user_id, institution_id, role, verification, verified_at) values (${person.userId}, ${await institutionIdBySlug('mju')}, 'registrar', 'roster', now())`;
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();

    // The password is right; a registrar without an authenticator is sent to enrol one.
    await passwordStep(page, person.email, '/institutions/mju/credits');
    await page.getByRole('heading', { level: 2, name: '启用两步验证' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account/second-factor');
    expect(await page.getByText('你的角色（闽江学院 · 教务（学分认定））需要先启用两步验证才能使用').isVisible()).toBe(true);
    expect(await page.getByRole('img', { name: '身份验证器二维码' }).isVisible()).toBe(true);
    await shoot(page, 'second-factor-enrol');

    const secret = (await page.locator('.manual-key').textContent())!.replace(/\s/g, '');
    await page.getByLabel('验证码').fill('000000');
    await page.getByRole('button', { name: '确认并启用' }).click();
    await page.getByRole('alert').filter({ hasText: '验证码不正确' }).waitFor();

    const step = currentTotpStep();
    await page.getByLabel('验证码').fill(await currentTotpCode(secret));
    await page.getByRole('button', { name: '确认并启用' }).click();
    await page.getByRole('heading', { name: '两步验证已启用：请保存恢复码' }).waitFor();
    rememberTotpSecret(person.email, secret, step);
    const codes = await page.getByRole('list', { name: '恢复码' }).getByRole('listitem').allTextContents();
    expect(codes).toHaveLength(10);
    await shoot(page, 'second-factor-recovery-codes');
    await page.getByRole('link', { name: '我已保存，继续' }).click();
    await page.waitForURL(`${baseUrl}/institutions/mju/credits`);

    // Next time: password, then the code.
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(`${baseUrl}/`);
    await passwordStep(page, person.email, '/institutions/mju/credits');
    await page.getByRole('heading', { name: '两步验证' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login/second-factor');
    await page.getByLabel('验证码').fill('111111');
    await page.getByRole('button', { name: '验证并登录' }).click();
    await page.getByRole('alert').filter({ hasText: '验证码不正确' }).waitFor();
    await shoot(page, 'second-factor-login');
    await page.getByLabel('验证码').fill(await freshTotpCode(person.email));
    await page.getByRole('button', { name: '验证并登录' }).click();
    await page.waitForURL(`${baseUrl}/institutions/mju/credits`);

    // The settings page: on, codes left, change or renew.
    await page.goto(`${baseUrl}/account/second-factor`);
    await page.getByText('两步验证已启用').waitFor();
    expect(await page.getByText('剩余恢复码 10 个').isVisible()).toBe(true);
    await shoot(page, 'second-factor-settings');
    await context.close();
  });
});
