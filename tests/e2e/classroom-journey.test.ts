import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, logIn } from '../support/chromium.js';
import { newDemoSession } from '../support/classroom.js';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';
import { publishTestVideo } from '../support/hls-video.js';

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
    for (let i = 0; i < 120 && inStep < 3; i++) {
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
  });
});
