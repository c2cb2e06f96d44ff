import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FAKE_MEDIA_ARGS, launchChromium, logIn } from '../support/chromium.js';
import { seriousViolations } from '../support/axe.js';
import { newDemoSession } from '../support/classroom.js';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot } from '../support/env.js';
import { publishTestVideo } from '../support/hls-video.js';

const baseUrl = inject('baseUrl');
const shots = path.join(projectRoot, 'test-results/screenshots');
let browser: Browser;
let sessionId = '';

beforeAll(async () => {
  browser = await launchChromium(FAKE_MEDIA_ARGS);
  const [lesson] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1' and l.position = 2`;
  await publishTestVideo(lesson!.id, inject('mediaRoot'), 60);
  sessionId = await newDemoSession({ lessonPosition: 2 });
});
afterAll(async () => {
  await browser?.close();
  await closeTestSql();
});

async function loggedIn(email: string): Promise<Page> {
  // bypassCSP only lets the test inject axe-core; the pages' own scripts run under the CSP.
  return (await logIn(browser, baseUrl, email, { context: { viewport: { width: 1024, height: 900 }, bypassCSP: true } })).page;
}

const liveTime = (page: Page) => page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="live-video"]')?.currentTime ?? -1);

describe('the teacher’s live voice and camera reach the classroom screen', () => {
  it('teacher goes on air, the screen plays it beside the lesson video, teacher stops, the recording becomes a ready lesson video', async () => {
    const teacher = await loggedIn('teacher@demo.edu.cn');
    const screen = await loggedIn('assistant@demo.edu.cn');
    // The screen's requests for the broadcast's playlists are lost on the way for the first
    // 1.5 s (its first mount asks twice within milliseconds): it must keep asking.
    let firstAskAt: number | null = null;
    const asks = { lost: 0, passed: 0 };
    await screen.route(
      (url) => url.pathname === `/classroom/sessions/${sessionId}/live`,
      (route) => {
        firstAskAt ??= Date.now();
        if (Date.now() - firstAskAt < 1_500) return asks.lost++, route.abort('failed');
        return asks.passed++, route.continue();
      },
    );
    await teacher.goto(`${baseUrl}/classroom/sessions/${sessionId}/console`);
    await screen.goto(`${baseUrl}/classroom/sessions/${sessionId}/screen`);
    await teacher.getByText('实时连接正常').waitFor();
    await screen.getByText('实时连接正常').waitFor();

    await teacher.getByLabel('同时发送摄像头画面（低清）').check();
    await teacher.getByRole('button', { name: '开始直播' }).click();
    const logs: string[] = [];
    const screenLogs: string[] = [];
    screen.on('console', (m) => screenLogs.push(m.text()));
    screen.on('response', (r) => r.url().includes('/media/live') && screenLogs.push(`${r.status()} ${r.url().slice(-40)}`));
    teacher.on('console', (m) => logs.push(m.text()));
    teacher.on('pageerror', (e) => logs.push(String(e)));
    await teacher.getByTestId('on-air').waitFor().catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await teacher.locator('section[aria-labelledby="live-title"]').innerText()}\n${logs.join('\n')}`);
    });
    // The microphone meter moves (Chromium's fake microphone beeps).
    await teacher.waitForFunction(() => Number(document.querySelector<HTMLMeterElement>('[data-testid="mic-level"]')?.value ?? 0) > 0.01, null, { timeout: 15_000 });

    // The screen shows the live picture and plays it: its position advances.
    await screen.getByText('教师直播', { exact: true }).waitFor({ timeout: 30_000 });
    await screen.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="live-video"]')?.currentTime ?? 0) > 1, null, { timeout: 60_000 }).catch(async (e: Error) => {
      const state = await screen.evaluate(() => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="live-video"]')!;
        return { rs: v.readyState, ns: v.networkState, t: v.currentTime, paused: v.paused, err: v.error?.message, buffered: v.buffered.length ? [v.buffered.start(0), v.buffered.end(0)] : [] };
      });
      const rows = await testSql()`select status, packaged_chunks, failure from live_broadcasts where session_id = ${sessionId}`;
      throw new Error(`${e.message}\n${JSON.stringify(state)}\n${JSON.stringify(rows)}\n${screenLogs.slice(-40).join('\n')}`);
    });
    expect(asks.lost).toBeGreaterThanOrEqual(1);
    expect(asks.passed).toBeGreaterThanOrEqual(1);
    // The picture rung first (a loaded machine's stalls may later, rightly, drop a screen to
    // sound only), then the position keeps advancing.
    expect(await screen.getByTestId('live-video').getAttribute('data-rung')).toBe('240p');
    const size = await screen.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="live-video"]')!;
      return { w: v.videoWidth, h: v.videoHeight };
    });
    expect(size.h).toBe(240);
    const first = await liveTime(screen);
    await screen
      .waitForFunction((t) => (document.querySelector<HTMLVideoElement>('[data-testid="live-video"]')?.currentTime ?? 0) > t + 1, first, { timeout: 15_000 })
      .catch(async (e: Error) => {
        throw new Error(`${e.message}\n${await screen.getByTestId('live-video').getAttribute('data-rung')} ${screenLogs.slice(-30).join('\n')}`);
      });
    // The synchronised lesson video is still there, beside it.
    await expect(screen.getByTestId('synced-video').isVisible()).resolves.toBe(true);
    // The console plays it too, muted.
    await teacher.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="live-video"]')?.currentTime ?? 0) > 1, null, { timeout: 60_000 });
    expect(await teacher.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="live-video"]')!.muted)).toBe(true);
    // On air, both pages stay accessible (live indicator, level meter, the live picture).
    expect(await seriousViolations(teacher)).toEqual([]);
    expect(await seriousViolations(screen)).toEqual([]);
    await teacher.screenshot({ path: path.join(shots, 'classroom-live-console.png'), fullPage: true });
    await screen.screenshot({ path: path.join(shots, 'classroom-live-screen.png'), fullPage: true });

    // The next chunk upload never gets an answer, as on a stalled link: going off air must
    // not wait for it for ever (it is given up and sent again).
    let stalled = 0;
    await teacher.route('**/live/chunks?*', (route) => (stalled++ === 0 ? undefined : route.continue()));
    await expect.poll(() => stalled, { timeout: 10_000 }).toBeGreaterThan(0);
    await teacher.getByRole('button', { name: '停止直播' }).click();
    await teacher.getByTestId('recording-status').waitFor({ timeout: 45_000 });
    // Off air: the screen's live picture goes; the recording is processed into a lesson video.
    await screen.getByTestId('live-video').waitFor({ state: 'detached', timeout: 30_000 });
    await teacher
      .getByText('录像已作为课程的新课时（草稿）生成')
      .waitFor({ timeout: 180_000 })
      .catch(async (error: Error) => {
        // Say how far the recording got: the broadcast and its video.
        const state = await testSql()`select b.status, b.failure, v.status as video_status, v.progress_percent, v.failures from live_broadcasts b
          left join videos v on v.id = b.recording_video_id where b.session_id = ${sessionId}`;
        throw new Error(`${error.message}\nrecording: ${JSON.stringify(state)}`);
      });
    const [row] = await testSql()<{ lesson_id: string; title_zh: string; draft: boolean; status: string; duration: number }[]>`
      select l.id as lesson_id, l.title_zh, l.draft, v.status, v.duration_seconds as duration from live_broadcasts b
      join lessons l on l.id = b.recording_lesson_id join videos v on v.id = b.recording_video_id where b.session_id = ${sessionId}`;
    expect(row).toMatchObject({ status: 'ready' });
    expect(row!.title_zh).toMatch(/^课堂录像 /);
    expect(row!.duration).toBeGreaterThan(3);
    await teacher.screenshot({ path: path.join(shots, 'classroom-live-recorded.png'), fullPage: true });
    // A draft until the teacher has looked at it: from the console to the studio, then publish.
    expect(row!.draft).toBe(true);
    await teacher.getByRole('link', { name: '在工作室中打开' }).click();
    await teacher.getByRole('button', { name: '向学生发布此课时' }).click();
    await teacher.getByText('课时已向学生发布。').waitFor();
    expect((await testSql()<{ draft: boolean }[]>`select draft from lessons where id = ${row!.lesson_id}`)[0]!.draft).toBe(false);
  }, 300_000);
});
