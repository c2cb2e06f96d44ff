import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, logIn } from '../support/chromium.js';
import { newDemoSession } from '../support/classroom.js';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';
import { publishTestVideo } from '../support/hls-video.js';
import { buildSlidePdf, lessonSlides } from '../../media/pdf-fixture.js';

const baseUrl = inject('baseUrl');
const shots = path.join(projectRoot, 'test-results/screenshots');
let browser: Browser;
let sessionId = '';

beforeAll(async () => {
  browser = await launchChromium();
  const [lesson] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1' and l.position = 2`;
  await publishTestVideo(lesson!.id, inject('mediaRoot'), 60);
  sessionId = await newDemoSession({ lessonPosition: 2, slides: ['向量', '线性组合', '小结'] });
});
afterAll(async () => {
  await browser?.close();
  await closeTestSql();
});

async function loggedIn(email: string): Promise<Page> {
  return (await logIn(browser, baseUrl, email, { context: { viewport: { width: 1024, height: 900 } } })).page;
}

/** The video's position and the instant it was read (one browser: one wall clock for both pages). */
function sample(page: Page) {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="synced-video"]')!;
    return { t: v.currentTime, at: performance.timeOrigin + performance.now(), paused: v.paused };
  });
}

describe('a synchronised lesson: the classroom screen follows the teacher', () => {
  it('after the teacher seeks and presses play, the screen plays within 250 ms of the teacher; slides follow', async () => {
    const teacher = await loggedIn('teacher@demo.edu.cn');
    const screen = await loggedIn('assistant@demo.edu.cn');
    // The assistant finds the session in the timetable.
    await screen.goto(`${baseUrl}/classroom`);
    await screen.locator(`tr[data-session="${sessionId}"]`).getByRole('link', { name: /打开教室大屏/ }).click();
    await teacher.goto(`${baseUrl}/classroom/sessions/${sessionId}/console`);
    await teacher.getByText('实时连接正常').waitFor();
    await screen.getByText('实时连接正常').waitFor();

    await teacher.getByLabel('跳到（秒）').fill('20');
    await teacher.getByRole('button', { name: '跳转' }).click();
    await teacher.getByRole('button', { name: '播放', exact: true }).click();
    await teacher.getByRole('button', { name: '暂停', exact: true }).waitFor();

    // Settled: three samples in a row within 250 ms of each other, both playing past the seek.
    let inStep = 0;
    let last = { diffMs: NaN, teacher: 0, screen: 0 };
    for (let i = 0; i < 240 && inStep < 3; i++) {
      const a = await sample(teacher);
      const b = await sample(screen);
      const diffMs = (b.t - (a.t + (b.at - a.at) / 1000)) * 1000;
      last = { diffMs, teacher: a.t, screen: b.t };
      inStep = !a.paused && !b.paused && a.t >= 20 && Math.abs(diffMs) < 250 ? inStep + 1 : 0;
      await screen.waitForTimeout(250);
    }
    expect(inStep, JSON.stringify(last)).toBe(3);

    await teacher.getByRole('button', { name: '下一页' }).click();
    await screen.getByRole('heading', { name: '第 2 / 3 页' }).waitFor();
    await screen.getByText('线性组合').waitFor();
    await teacher.screenshot({ path: path.join(shots, 'classroom-console.png'), fullPage: true });
    await screen.screenshot({ path: path.join(shots, 'classroom-screen.png'), fullPage: true });

    // A late joiner starts at the current position at once, not at the beginning.
    const late = await (await screen.context().browser()!.newContext()).newPage();
    await late.context().addCookies(await screen.context().cookies());
    await late.goto(`${baseUrl}/classroom/sessions/${sessionId}/screen`);
    await late.getByText('实时连接正常').waitFor();
    await late.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="synced-video"]')?.currentTime ?? 0) > 20, null, { timeout: 20_000 });
    const t = await sample(teacher);
    const l = await sample(late);
    expect(Math.abs(l.t - (t.t + (l.at - t.at) / 1000))).toBeLessThan(2);

    // A screen whose link drops as it asks for the lesson's playlists says so on the screen,
    // keeps trying, and follows the class once the link is back (service worker off, so
    // every request crosses the routed network). The teacher's panel shows the room as
    // buffering meanwhile; the room's other screens are closed so only this one reports.
    await late.context().close();
    await screen.context().close();
    const { context: dropped, page: flaky } = await logIn(browser, baseUrl, 'assistant@demo.edu.cn', { context: { viewport: { width: 1024, height: 900 }, serviceWorkers: 'block' } });
    await dropped.route('**/hls/master.m3u8', (route) => route.abort('internetdisconnected'));
    await flaky.goto(`${baseUrl}/classroom/sessions/${sessionId}/screen`);
    const notice = flaky.getByRole('status').filter({ hasText: '网络中断' });
    await notice.waitFor({ timeout: 30_000 });
    await flaky.screenshot({ path: path.join(shots, 'classroom-screen-reconnecting.png') });
    const stuckRoom = teacher.locator('tr[data-classroom]', { hasText: '缓冲中' });
    await stuckRoom.waitFor({ timeout: 15_000 });
    await dropped.unroute('**/hls/master.m3u8');
    await notice.waitFor({ state: 'detached', timeout: 30_000 });
    await stuckRoom.waitFor({ state: 'detached', timeout: 30_000 });
    await flaky.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="synced-video"]')?.currentTime ?? 0) > 20, null, { timeout: 20_000 });
    await dropped.close();
  });

  it('a screen opened before class prepares the whole lesson; the teacher’s PDF page change shows as the page image', async () => {
    const scheduled = await testSql()<{ id: string }[]>`update live_sessions set starts_at = now() + interval '1 hour', ends_at = now() + interval '2 hours' where id = ${await newDemoSession({ lessonPosition: 2 })} returning id`;
    const id = scheduled[0]!.id;
    const teacher = await loggedIn('teacher@demo.edu.cn');
    await teacher.goto(`${baseUrl}/classroom/sessions/${id}/slides`);
    await teacher.getByLabel('PDF 文件').setInputFiles({ name: '第二讲.pdf', mimeType: 'application/pdf', buffer: buildSlidePdf(lessonSlides(3)) });
    await teacher.getByRole('button', { name: '上传并转换' }).click();
    await teacher.getByTestId('deck-status').first().waitFor();
    await teacher.screenshot({ path: path.join(shots, 'classroom-slides-upload.png'), fullPage: true });
    await teacher.goto(`${baseUrl}/classroom/sessions/${id}/console`);
    await teacher.getByText('幻灯片“第二讲.pdf”共 3 页').waitFor({ timeout: 60_000 });

    // The screen, open an hour early, stores the lesson at its rung and every page by itself.
    const screen = await loggedIn('assistant@demo.edu.cn');
    // The classroom's link is down for video segments at first: each file is asked for four
    // times, then the screen says so and waits (it carries on by itself a minute later, or
    // when the browser is back online). Then the link drops one more download, which is
    // simply asked for again.
    let linkDown = true;
    const dropped: string[] = [];
    // On the context: once the service worker controls the page, it makes the network requests.
    await screen.context().route(/\/media\/.*\/seg_\d+\.m4s/, (route) => {
      if (route.request().resourceType() !== 'fetch' || (!linkDown && dropped.includes('once'))) return route.continue();
      dropped.push(linkDown ? route.request().url() : 'once');
      return route.abort('failed');
    });
    await screen.goto(`${baseUrl}/classroom/sessions/${id}/screen`);
    const status = screen.getByTestId('prefetch-status');
    await screen.locator('[data-testid="prefetch-status"][data-phase="failed"]').waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toContain('准备中断（网络连接中断），一分钟后或网络恢复时自动继续');
    await screen.locator('section[aria-labelledby="prefetch-title"]').screenshot({ path: path.join(shots, 'classroom-prefetch-failed.png') });
    expect(dropped.length).toBeGreaterThanOrEqual(4);
    // It waits: it does not start over by itself within the next seconds (the player's own
    // segment requests, through the same service worker, keep their own retry schedule).
    const phaseChanges = await status.evaluate(
      (el) =>
        new Promise<string[]>((resolve) => {
          const seen: string[] = [];
          const watch = new MutationObserver(() => seen.push(el.getAttribute('data-phase') ?? ''));
          watch.observe(el, { attributes: true, attributeFilter: ['data-phase'] });
          setTimeout(() => (watch.disconnect(), resolve(seen)), 3_000);
        }),
    );
    expect(phaseChanges).toEqual([]);
    linkDown = false;
    await screen.evaluate(() => dispatchEvent(new Event('online')));
    await screen.locator('[data-testid="prefetch-status"][data-phase="complete"]').waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(/^已准备完毕：\d+\.\d MB/);
    const figures = await status.evaluate((el) => ({ done: Number(el.getAttribute('data-done')), total: Number(el.getAttribute('data-total')) }));
    expect(figures.total).toBeGreaterThan(0);
    expect(figures.done).toBe(figures.total);
    expect(dropped.at(-1)).toBe('once');
    expect(await screen.evaluate(async (url) => Boolean(await (await caches.open('edu-classroom-prefetch-v1')).match(url.replace(/^https?:\/\/[^/]+/, '').replace(/^(\/media\/[^/]+)\/\d+\/[\w-]+\//, '$1/-/'))), dropped[0]!)).toBe(true);
    // `ready` resolves as activation starts: wait for it to finish.
    await screen.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated', undefined, { timeout: 15_000 });

    // The teacher turns to page 2 from its thumbnail; the screen shows page 2's image (from the cache).
    await teacher.getByRole('button', { name: '跳到第 2 页' }).click();
    const page2 = screen.locator('img[data-testid="slide-page"][data-page="2"]');
    await page2.waitFor();
    await screen.waitForFunction(() => (document.querySelector<HTMLImageElement>('img[data-testid="slide-page"]')?.naturalWidth ?? 0) === 1280);
    const src = (await page2.getAttribute('src'))!;
    expect(await screen.evaluate(async (url) => Boolean(await (await caches.open('edu-classroom-prefetch-v1')).match(url.replace(/^(\/slides\/[^/]+)\/\d+\/[\w-]+\//, '$1/-/'))), src)).toBe(true);
    await teacher.screenshot({ path: path.join(shots, 'classroom-console-slides.png'), fullPage: true });
    await screen.screenshot({ path: path.join(shots, 'classroom-screen-slides.png'), fullPage: true });

    // Clearing empties the indicator.
    await screen.getByRole('button', { name: '清除缓存' }).click();
    await screen.getByText('缓存已清除。', { exact: false }).waitFor();
    expect(await status.getAttribute('data-done')).toBe('0');
  });
});
