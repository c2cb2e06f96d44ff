import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { newCompletionRecord, newCourse, signUpStudent } from '../support/credits.js';
import { closeTestSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';
import { credentialFromAnotherIssuer } from '../support/other-issuer.js';

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

describe('verify any credential, in the browser', () => {
  it('a visitor pastes a credential and reads, in plain words, who issued what to whom and whether it holds', async () => {
    const person = await signUpStudent(baseUrl, 'fjnu', '周可欣');
    const course = await newCourse('mju', '2.0');
    const recordId = await newCompletionRecord(person.userId, course, '93.00');
    const issued = await person.client.post('/credits?index', { intent: 'completion-credential', completionRecordId: recordId });
    const id = /\/credentials\/([0-9a-f-]{36})/.exec(issued.headers.get('location') ?? '')![1]!;
    const ours = await (await fetch(`${baseUrl}/credentials/${id}/download`)).text();
    const theirs = JSON.stringify(await credentialFromAnotherIssuer({ holder: 'Alex Chen', achievement: 'Introduction to Statistics' }));

    for (const viewport of [{ width: 1280, height: 800, name: 'desktop' }, { width: 390, height: 844, name: 'phone' }]) {
      const context = await browser.newContext({ locale: 'zh-CN', viewport });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/credentials/verify`);
      await page.getByLabel('粘贴凭证').fill(ours);
      await page.getByRole('button', { name: '验证' }).click();
      const verdict = page.locator('[data-verify-status]');
      await expect.poll(() => verdict.getAttribute('data-verify-status')).toBe('verify.verdict.valid');
      expect(await verdict.textContent()).toMatch(/^有效。福建|^有效。/);
      expect(await verdict.textContent()).toContain('向 周可欣 签发了「数据结构');
      await page.screenshot({ path: path.join(shots, `verify-credential-ours-${viewport.name}.png`), fullPage: true });

      await page.getByLabel('粘贴凭证').fill(theirs);
      await page.getByRole('button', { name: '验证' }).click();
      await expect.poll(() => page.locator('[data-verify-status]').textContent()).toContain('Open University of Example');
      expect(await page.locator('[data-verify-status]').textContent()).toContain('向 Alex Chen 签发了「Introduction to Statistics」');
      await expect.poll(() => page.getByText('其他签发方签发').count()).toBe(1);
      await page.screenshot({ path: path.join(shots, `verify-credential-theirs-${viewport.name}.png`), fullPage: true });
      await context.close();
    }
  });
});
