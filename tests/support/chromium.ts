import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { demoPassword } from '../../db/seed/demo-data.js';
import { freshTotpCode, totpSecretOf } from './totp.js';

/** Debian's Chromium, never a downloaded browser; flags keep it off the (closed) network. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Chromium's fake camera and microphone, granted without a prompt, and sound allowed without a click (a classroom screen). */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

/** A fresh browser context logged in through the real login form, on the home page. */
export async function logIn(browser: Browser, baseUrl: string, email: string, opts: { password?: string; context?: BrowserContextOptions } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(opts.context);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('电子邮箱').fill(email);
  await page.getByLabel('密码').fill(opts.password ?? demoPassword);
  await page.getByRole('button', { name: '登录' }).click();
  await answerSecondFactor(page, email);
  await page.getByRole('heading', { name: /你好/ }).waitFor();
  return { context, page };
}

/**
 * After the password: the demo registrar and admin (and people the tests enrolled) are asked
 * for their authenticator's code; everyone else is already on their way.
 */
export async function answerSecondFactor(page: Page, email: string): Promise<void> {
  if (!totpSecretOf(email)) return;
  await page.waitForURL((url) => url.pathname !== '/login');
  if (new URL(page.url()).pathname !== '/login/second-factor') return;
  // By id: the page speaks the account's language, which may be English by now.
  await page.locator('#second-factor-code').fill(await freshTotpCode(email));
  await page.locator('form:has(#second-factor-code) button[type=submit]').click();
  await page.waitForURL((url) => url.pathname !== '/login/second-factor');
}
