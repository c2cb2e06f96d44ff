import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseMediaPlaylist } from '../../media/chunk-playlist.js';
import { generateLectureClip } from '../../media/fixtures.js';
import { launchChromium, logIn } from '../support/chromium.js';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot, testServiceEnv } from '../support/env.js';
import { run, startProcess, waitFor, type Running } from '../support/processes.js';

// A student opens a long lecture while its chunks are still being encoded by two worker
// processes (sharing the test web node's media folder, with the test settings that split
// lectures over 20 s into 8 s chunks): the page starts it from what is published, lets
// nobody seek past that, and hls.js picks up the chunks appended later without a reload.
const baseUrl = inject('baseUrl');
const mediaRoot = inject('mediaRoot');
const shots = path.join(projectRoot, 'test-results/screenshots');
const SECONDS = 120;
const prefix = `chunkplay${Date.now()}`;
const workers: Running[] = [];
let browser: Browser;
let dir = '';
let video: Queue;
let lessonId = '';
let videoId = '';

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(path.join(tmpdir(), 'edu-chunked-early-'));
  const clip = path.join(dir, 'lecture.mp4');
  await generateLectureClip(clip, { seconds: SECONDS, width: 640, height: 360, fps: 25 });
  const [course] = await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
  const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${course!.id}, ${4000 + Math.floor(Math.random() * 1e6)}, '分段早播测试') returning id`;
  lessonId = lesson!.id;
  const uploadId = randomUUID();
  await mkdir(path.join(mediaRoot, 'uploads'), { recursive: true });
  await copyFile(clip, path.join(mediaRoot, 'uploads', uploadId));
  const [row] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status, duration_seconds) values (${lessonId}, ${uploadId}, 1, 'processing', ${SECONDS}) returning id`;
  videoId = row!.id;
  for (let i = 0; i < 2; i++) {
    workers.push(startProcess('workers/index.ts', {
      ...testServiceEnv(), LOG_LEVEL: 'info', MEDIA_ROOT: mediaRoot, QUEUE_PREFIX: prefix,
      VIDEO_ENCODER_PRESET: 'ultrafast', VIDEO_CONCURRENCY: '1', VIDEO_CHUNKED_FROM_SECONDS: '20', VIDEO_CHUNK_SECONDS: '8',
    }));
  }
  await waitFor(async () => workers.every((w) => w.output().includes('"workerId"')), 30_000, 'both workers to start');
  video = new Queue('video', { connection: { url: testServiceEnv().REDIS_URL }, prefix });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await video?.obliterate({ force: true }).catch(() => {});
  await video?.close();
  await run('pkill', ['-f', prefix]);
  await rm(dir, { recursive: true, force: true });
  await closeTestSql();
});

const status = async () => (await testSql()<{ status: string; storage_prefix: string | null }[]>`select status, storage_prefix from videos where id = ${videoId}`)[0]!;
/** Seconds the published 144p playlist (the first frame's rung) lists right now. */
const listedSeconds = async () =>
  parseMediaPlaylist(await readFile(path.join(mediaRoot, 'videos', videoId, 'hls', '144p', 'index.m3u8'), 'utf8')).segments.reduce((sum, s) => sum + s.durationSeconds, 0);
const player = (page: Page) => page.getByTestId('lecture-video');
type PlayerState = { currentTime: number; duration: number; seekableEnd: number | null };
const state = (page: Page): Promise<PlayerState> =>
  player(page).evaluate((v: HTMLVideoElement) => ({ currentTime: v.currentTime, duration: v.duration, seekableEnd: v.seekable.length ? v.seekable.end(v.seekable.length - 1) : null }));

describe('a chunked lecture played while its later chunks are still encoding', () => {
  it('starts from what is published, seeks no further, and grows in the player as chunks are appended', async () => {
    const { page } = await logIn(browser, baseUrl, 'student@demo.edu.cn', { context: { viewport: { width: 1024, height: 800 } } });
    // Where this student stopped last time (an earlier upload of the lesson): far beyond chunk 0.
    const [student] = await testSql()<{ id: string }[]>`select id from users where email = 'student@demo.edu.cn'`;
    await testSql()`insert into lesson_video_progress (user_id, lesson_id, position_seconds) values (${student!.id}, ${lessonId}, 100)`;

    await video.add('transcode-video', { videoId }, { jobId: `transcode-video--${videoId}` });
    await waitFor(async () => (await status()).storage_prefix !== null, 120_000, 'chunk 0 to be offered while encoding');
    // Hold the queue (the chunks being encoded finish, no new one starts) while the page
    // loads and is checked: on a fast machine the whole lecture could otherwise be listed,
    // or even ready, before the checks of what is "early".
    await video.pause();
    const started = Date.now();
    const playlistRequests: string[] = [];
    const consoleLines: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('.m3u8')) playlistRequests.push(`${((Date.now() - started) / 1000).toFixed(1)}:${r.url().split('/').slice(-2).join('/')}`);
    });
    page.on('console', (m) => consoleLines.push(m.text()));
    await page.goto(`${baseUrl}/lessons/${lessonId}`);
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, undefined, { timeout: 30_000 });
    // hls.js has taken over (it sets a seekable range for a playlist without ENDLIST).
    await page.waitForFunction(() => (document.querySelector('video')?.seekable.length ?? 0) > 0, undefined, { timeout: 30_000 });
    const early = await state(page);
    const listedThen = await listedSeconds();
    expect((await status()).status).toBe('processing');
    expect(listedThen).toBeLessThan(SECONDS - 8);
    // The resume position (100 s) was not there yet: the player started within what was listed.
    expect(early.currentTime).toBeLessThanOrEqual(listedThen);
    expect(early.seekableEnd!).toBeLessThanOrEqual(listedThen + 0.1);
    // A student dragging to the end lands at most at what exists.
    const seekedTo = await player(page).evaluate((v: HTMLVideoElement, to: number) => {
      v.currentTime = to;
      return v.currentTime;
    }, SECONDS - 2);
    expect(seekedTo).toBeLessThanOrEqual((await listedSeconds()) + 0.1);
    await page.screenshot({ path: path.join(shots, 'chunked-early-playback.png'), fullPage: true });
    // The teacher's studio says students can already start, while it still shows the progress.
    const teacher = (await logIn(browser, baseUrl, 'teacher@demo.edu.cn', { context: { viewport: { width: 1024, height: 900 } } })).page;
    await teacher.goto(`${baseUrl}/studio/lessons/${lessonId}`);
    const item = teacher.locator('.video-list li[data-video-status="processing"]');
    await item.getByText('学生现在就可以从头观看已转码的部分').waitFor();
    expect(await item.getByRole('link', { name: '以学生身份观看' }).getAttribute('href')).toBe(`/lessons/${lessonId}`);
    await teacher.screenshot({ path: path.join(shots, 'studio-playable-early.png'), fullPage: true });
    await video.resume();

    // No reload: hls.js reloads the EVENT playlists, sees the appended chunks, then ENDLIST.
    await waitFor(async () => (await status()).status === 'ready', 240_000, 'the lecture to be ready').catch((e: Error) => {
      throw new Error(`${e.message}\n${workers.map((w) => w.output().slice(-2000)).join('\n')}`);
    });
    await page.waitForFunction((seconds) => {
      const v = document.querySelector('video')!;
      return Number.isFinite(v.duration) && v.duration > seconds - 1;
    }, SECONDS, { timeout: 60_000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(await state(page))} playlists ${playlistRequests.join(' ')} console ${consoleLines.slice(-20).join(' | ')}`);
    });
    const complete = await state(page);
    expect(complete.duration).toBeCloseTo(SECONDS, 0);
    expect(complete.seekableEnd!).toBeGreaterThan(early.seekableEnd!);
    // Where it can now go, it goes.
    const late = await player(page).evaluate((v: HTMLVideoElement, to: number) => {
      v.currentTime = to;
      return v.currentTime;
    }, SECONDS - 10);
    expect(late).toBeCloseTo(SECONDS - 10, 0);
  }, 420_000);

  it('once ready, on a slow link: the first frame shows the whole lecture’s length and a jump made before hls.js arrives is kept', async () => {
    // The first test's student stops reporting positions: this one starts from the beginning.
    for (const open of browser.contexts()) await open.close();
    await testSql()`delete from lesson_video_progress where lesson_id = ${lessonId} and user_id = (select id from users where email = 'student@demo.edu.cn')`;
    expect((await status()).status).toBe('ready');
    const { context, page } = await logIn(browser, baseUrl, 'student@demo.edu.cn', { context: { viewport: { width: 1024, height: 800 } } });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    // A rural classroom's link: the page's bundles take seconds, the first segment does not.
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 300, downloadThroughput: 256_000 / 8, uploadThroughput: 256_000 / 8 });
    await page.goto(`${baseUrl}/lessons/${lessonId}`, { waitUntil: 'commit' });
    type Handover = { lectureFirstFrame?: { state: string } };
    await page.waitForFunction(() => (window as unknown as Handover).lectureFirstFrame?.state === 'ready', undefined, { timeout: 30_000 });
    // Still the inline script's MediaSource (hls.js takes it over and removes the handover).
    const early = await page.evaluate(() => {
      const v = document.querySelector('video')!;
      const waiting = (window as unknown as Handover).lectureFirstFrame !== undefined;
      if (waiting) v.currentTime = 100;
      return { waiting, duration: v.duration, buffered: v.buffered.end(v.buffered.length - 1) };
    });
    expect(early.waiting).toBe(true);
    expect(early.buffered).toBeLessThanOrEqual(4.1);
    // Before, the length was the first segment's and the jump snapped back to it.
    expect(early.duration).toBeCloseTo(SECONDS, 0);
    await page.getByTestId('lecture-video').evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      void v.play().catch(() => {});
    });
    // hls.js took over and went on from the jump, not from the first segment's end.
    await page.waitForFunction(() => (window as unknown as Handover).lectureFirstFrame === undefined, undefined, { timeout: 60_000 });
    await page.waitForFunction(() => {
      const v = document.querySelector('video')!;
      return !v.seeking && v.currentTime >= 100 && v.readyState >= 2;
    }, undefined, { timeout: 60_000 });
    await context.close();
  });
});
