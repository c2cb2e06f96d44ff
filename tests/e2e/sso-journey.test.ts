import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { answerSecondFactor, launchChromium } from '../support/chromium.js';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';
import { oidcAccount, startOidcIdpProcess, type OidcIdpProcess } from '../support/oidc-idp.js';
import { configureSso } from '../support/sso.js';

// A student of 福州大学 opens the login page, picks their university, signs in at its IdP's
// login form (a real oidc-provider) and comes back signed in as a verified member.
const baseUrl = inject('baseUrl');
const shots = path.join(projectRoot, 'test-results/screenshots');
const student = oidcAccount(`e2e${Date.now().toString(36)}`, { name: '统一认证学生' });
let browser: Browser;
let idp: OidcIdpProcess;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  idp = await startOidcIdpProcess({ clients: [{ client_id: 'edu-e2e', client_secret: 'e2e-secret-value', redirect_uris: [`${baseUrl}/sso/fzu/oidc/callback`] }], accounts: [student] });
  await configureSso(baseUrl, 'fzu', { protocol: 'oidc', oidcIssuer: idp.issuer, oidcClientId: 'edu-e2e', oidcClientSecret: 'e2e-secret-value', scopes: 'fzu.edu.cn', displayNameZh: '福州大学统一身份认证' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await idp?.stop();
  await closeTestSql();
});

describe('sign in with one’s institution', () => {
  it('login page → sign in with 福州大学 → IdP login form → back, signed in as a verified student', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('link', { name: '通过福州大学统一身份认证登录' }).click();

    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByLabel('学号 / 工号 (username)').fill(student.username);
    await page.getByLabel('密码 (password)').fill(student.password);
    await page.getByRole('button', { name: '登录 (Sign in)' }).click();

    await page.waitForURL(`${baseUrl}/`);
    await page.getByText(`你好，${student.name}`).waitFor();
    const [row] = await testSql()<{ verification: string; role: string }[]>`
      select m.verification, m.role from memberships m join users u on u.id = m.user_id where u.email = ${student.email}`;
    expect(row).toEqual({ verification: 'sso', role: 'student' });
    await context.close();
  });

  it('shows the login page and the SSO settings page on a phone and a desktop', async () => {
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/login`);
      await page.screenshot({ path: path.join(shots, `sso-login-${width}.png`), fullPage: true });
      await page.getByLabel('电子邮箱').fill('admin@demo.edu.cn');
      await page.getByLabel('密码').fill(demoPassword);
      await page.getByRole('button', { name: '登录' }).first().click();
      await answerSecondFactor(page, 'admin@demo.edu.cn');
      await page.waitForURL(`${baseUrl}/`);
      await page.goto(`${baseUrl}/institutions/fzu/sso`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('福州大学：统一身份认证设置');
      await page.screenshot({ path: path.join(shots, `sso-settings-${width}.png`), fullPage: true });
      await context.close();
    }
  });
});
