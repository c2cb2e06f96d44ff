/**
 * bench:hour — journey 1 at full size: a teacher uploads a 60-minute 1080p lecture (about
 * 3.6 GB) through the studio in Chromium, the line drops at 30 % and comes back, the page
 * is reloaded at 60 % and the same file picked again; the worker transcodes it; a student
 * on a rural link (256 kbit/s, 300 ms) opens the lesson and jumps to minute 45.
 *
 * Baselines in the same run: copying the file on this disk (the upload's floor) and the
 * lecture's first two chunks encoded by transcodeLadder directly, two at a time, in this
 * process (the worker's ffmpeg work without the site, the queue and the publication).
 *
 *   npm run bench:hour                       # 3600 s; generates the source once (~25-60 min)
 *   npm run bench:hour -- --seconds 600      # a shorter lecture, same journey
 *   npm run bench:hour -- --no-build         # the site is already built
 *   npm run bench:hour -- --baseline-chunks 0  # skip baseline 2 (a quick check of the journey)
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import postgres from 'postgres';
import { inPool } from '../app/features/in-pool.js';
import { hasFilter } from '../media/ffmpeg-features.js';
import { DEFAULT_CHUNK_SETTINGS, DEFAULT_TRANSCODES_AT_ONCE, planChunks } from '../media/chunks.js';
import { transcodeLadder } from '../media/hls.js';
import { planLadder } from '../media/ladder.js';
import { launchChromium, logIn } from '../tests/support/chromium.js';
import { buildSite } from './bench-services.js';
import { round, timePhase } from './cpu-load.js';
import { prepareSource } from './lecture-source.js';
import { emulateLink, LINK } from './startup-measure.js';
import { measureRungBitrate } from './rung-quality.js';
import { sampleRss } from './rss-sampler.js';
import { startSite } from './startup-site.js';
import { TARGETS } from './targets.js';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '3600' }, 'no-build': { type: 'boolean', default: false }, 'baseline-chunks': { type: 'string', default: String(DEFAULT_TRANSCODES_AT_ONCE) } },
});
const seconds = Number(args.seconds);
if (!(seconds >= 300)) throw new Error('--seconds must be at least 300 (the journey seeks to three quarters of the lecture)');
const OFFLINE_AT = 0.3;
const OFFLINE_SECONDS = 20;
const RELOAD_AT = 0.6;
const SEEK_TO = Math.round(seconds * 0.75);
const shots = join(process.cwd(), '.cache/shots/hour');

console.log(`bench:hour on ${cpus().length} cores, load average ${loadavg().map((l) => round(l, 2)).join(' ')}`);
const source = await prepareSource({ seconds });
const { summary } = source;
if (!summary.video || !summary.audio || !summary.durationSeconds) throw new Error('The source needs video, audio and a known duration');
const sourceBytes = (await stat(source.path)).size;
console.log(`source ${source.path}: ${(sourceBytes / 2 ** 30).toFixed(2)} GiB, ${summary.durationSeconds} s` +
  (source.generatedInSeconds === null ? ' (cached)' : ` (generated in ${source.generatedInSeconds} s)`));

const work = await mkdtemp(join(tmpdir(), 'bench-hour-'));
if (!args['no-build']) {
  console.log('building the site...');
  await buildSite();
}
// Info: a long run's log says what the worker did and when.
const site = await startSite({ logLevel: 'info' });
const sql = postgres(site.databaseUrl, { max: 1 });
const browser = await launchChromium();
try {
  // Baseline 1: the upload's floor, the same bytes copied on this disk.
  const copied = await timePhase(() => copyFile(source.path, join(work, 'copy.mp4')));
  await rm(join(work, 'copy.mp4'));
  console.log(`  disk copy: ${copied.timing.wallSeconds} s (${mbps(sourceBytes, copied.timing.wallSeconds)} MB/s)`);

  // Baseline 2: the worker's ffmpeg work on the first two chunks, without the site.
  const plan = planLadder({ width: summary.video.width, height: summary.video.height, fps: summary.video.fps, hasVideo: true, hasAudio: true });
  const scaler = (await hasFilter('ffmpeg', 'zscale')) ? 'zscale' : 'swscale';
  const chunks = planChunks(summary.durationSeconds, plan.segmentSeconds, DEFAULT_CHUNK_SETTINGS);
  const firstTwo = chunks.slice(0, Number(args['baseline-chunks']));
  const firstTwoSeconds = firstTwo.reduce((sum, c) => sum + c.expectedSeconds, 0);
  console.log(`baseline: chunks 0-${firstTwo.length - 1} of ${chunks.length} (${firstTwoSeconds} s) by transcodeLadder, ${DEFAULT_TRANSCODES_AT_ONCE} at a time...`);
  const direct = await timePhase(() => inPool(firstTwo, DEFAULT_TRANSCODES_AT_ONCE, (chunk) => transcodeLadder({
    input: source.path, inputDemuxer: summary.demuxer, outDir: join(work, 'direct', String(chunk.index)), plan, scaler,
    videoStreamIndex: summary.video?.index, audioStreamIndex: summary.audio?.index,
    durationSeconds: chunk.expectedSeconds, timeoutMs: seconds * 20_000, clip: chunk,
  }).then(() => undefined)));
  await rm(join(work, 'direct'), { recursive: true, force: true });
  const directRealtime = firstTwo.length ? round(firstTwoSeconds / direct.timing.wallSeconds, 2) : 0;
  console.log(`  direct: ${direct.timing.wallSeconds} s, ${directRealtime}x real time, ${direct.timing.cpuSeconds} CPU-s`);

  const [course] = await sql<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
  if (!course) throw new Error('The seeded course is missing');
  const [lesson] = await sql<{ id: string }[]>`insert into lessons (course_id, position, title_zh, title_en)
    values (${course.id}, ${100_000 + Math.floor(Math.random() * 1e6)}, ${`整讲录像 ${new Date().toISOString()}`}, 'A whole lecture') returning id`;
  const lessonId = lesson!.id;

  // The teacher's upload, through the studio as a teacher does it.
  console.log(`uploading ${(sourceBytes / 2 ** 30).toFixed(2)} GiB through the studio (offline ${OFFLINE_SECONDS} s at ${OFFLINE_AT * 100} %, reload at ${RELOAD_AT * 100} %)...`);
  const teacher = await logIn(browser, site.baseUrl, 'teacher@demo.edu.cn', { context: { viewport: { width: 1280, height: 900 } } });
  const studio = `${site.baseUrl}/studio/lessons/${lessonId}`;
  const uploadStarted = performance.now();
  await teacher.page.goto(studio);
  await teacher.page.setInputFiles('#lecture-file', source.path);
  await teacher.page.getByRole('button', { name: '开始上传' }).click();
  await untilUploaded(teacher.page, OFFLINE_AT);
  await teacher.context.setOffline(true);
  const offlineAtPercent = round((await uploadedShare(teacher.page)) * 100, 1);
  await teacher.page.getByText(/网络断开了，已上传 \d+%/).waitFor({ timeout: 60_000 });
  await teacher.page.screenshot({ path: join(shots, 'upload-offline.png') });
  await teacher.page.waitForTimeout(OFFLINE_SECONDS * 1000);
  await teacher.context.setOffline(false);
  await untilUploaded(teacher.page, RELOAD_AT);
  const reloadAtPercent = round((await uploadedShare(teacher.page)) * 100, 1);
  await teacher.page.reload();
  await teacher.page.setInputFiles('#lecture-file', source.path);
  await teacher.page.getByRole('button', { name: '开始上传' }).click();
  const resumed = await teacher.page.getByText(/从 \d+% 处继续上传/).textContent({ timeout: 60_000 });
  const resumedFromPercent = Number(/从 (\d+)%/.exec(resumed ?? '')?.[1] ?? NaN);
  await teacher.page.getByText('上传完成。').first().waitFor({ timeout: 60 * 60_000 });
  const uploadSeconds = round((performance.now() - uploadStarted) / 1000, 1);
  console.log(`  uploaded in ${uploadSeconds} s (offline ${OFFLINE_SECONDS} s included) at ${offlineAtPercent} % / reload at ${reloadAtPercent} %, resumed from ${resumedFromPercent} %`);

  // The worker's pipeline: first playable, progress, ready, the worker's own memory.
  const [video] = await sql<{ id: string; source_bytes: string }[]>`select id, source_bytes::text from videos where lesson_id = ${lessonId} order by created_at desc limit 1`;
  if (!video) throw new Error('The upload made no video');
  if (!existsSync(`/proc/${site.workerPid}`)) throw new Error('The worker process has exited');
  const transcodeStarted = performance.now();
  const memory = sampleRss(site.workerPid, 500);
  let firstPlayableSeconds: number | null = null;
  let lastReport = 0;
  for (;;) {
    const [row] = await sql<{ status: string; storage_prefix: string | null; progress_percent: number; failures: unknown }[]>`
      select status, storage_prefix, progress_percent, failures from videos where id = ${video.id}`;
    const elapsed = (performance.now() - transcodeStarted) / 1000;
    if (firstPlayableSeconds === null && row!.storage_prefix !== null) {
      firstPlayableSeconds = round(elapsed, 1);
      console.log(`  playable after ${firstPlayableSeconds} s (${row!.progress_percent} %)`);
      await teacher.page.reload();
      await teacher.page.screenshot({ path: join(shots, 'studio-playable-early.png'), fullPage: true });
    }
    if (row!.status === 'ready') break;
    if (!['queued', 'probing', 'processing'].includes(row!.status)) throw new Error(`The lecture ended ${row!.status}: ${JSON.stringify(row!.failures)}\n${site.logs().slice(-4000)}`);
    if (elapsed > seconds * 2) throw new Error(`Not ready after ${Math.round(elapsed)} s`);
    if (elapsed - lastReport >= 60) {
      lastReport = elapsed;
      console.log(`  ${Math.round(elapsed)} s: ${row!.status} ${row!.progress_percent} %`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const transcodeSeconds = round((performance.now() - transcodeStarted) / 1000, 1);
  const workerMemory = memory.stop();
  await teacher.page.reload();
  await teacher.page.screenshot({ path: join(shots, 'studio-ready.png'), fullPage: true });
  await teacher.context.close();
  const realtime = round(seconds / transcodeSeconds, 2);
  console.log(`  ready after ${transcodeSeconds} s: ${realtime}x real time; worker RSS peak ${workerMemory.peakMb} MB`);

  // What the hour weighs per rung, as published (segments over the playlist's duration, as bench:transcode measures).
  const ladder = join(site.mediaRoot, 'videos', video.id, 'hls');
  const rungs: { name: string; mb: number; kbps: number }[] = [];
  for (const name of (await readdir(ladder, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const { averageKbps } = await measureRungBitrate(join(ladder, name), plan.segmentSeconds);
    rungs.push({ name, mb: round((averageKbps * seconds) / 8000, 1), kbps: averageKbps });
  }
  console.log(`  per rung: ${rungs.map((r) => `${r.name} ${r.mb} MB (${r.kbps} kbit/s)`).join(', ')}`);

  // A student on a rural link opens the lesson and jumps to three quarters of it.
  console.log(`student at ${LINK.downKbps} kbit/s, ${LINK.rttMs} ms: first frame, then a jump to ${SEEK_TO} s...`);
  const student = await logIn(browser, site.baseUrl, 'student@demo.edu.cn', { context: { viewport: { width: 1024, height: 768 } } });
  await emulateLink(await student.context.newCDPSession(student.page));
  const opened = performance.now();
  await student.page.goto(`${site.baseUrl}/lessons/${lessonId}`);
  const player = student.page.getByTestId('lecture-video');
  await student.page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, undefined, { timeout: 120_000 });
  await player.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await student.page.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 0.5, undefined, { timeout: 120_000 });
  const playingAfterMs = Math.round(performance.now() - opened);
  const seekStarted = performance.now();
  await player.evaluate((v: HTMLVideoElement, to: number) => { v.currentTime = to; }, SEEK_TO);
  await student.page.waitForFunction((to) => {
    const v = document.querySelector('video');
    return !!v && !v.seeking && v.currentTime > to + 0.5 && v.readyState >= 3;
  }, SEEK_TO, { timeout: 120_000 });
  const seekPlayingAfterMs = Math.round(performance.now() - seekStarted);
  await student.page.screenshot({ path: join(shots, 'student-minute-45.png') });
  await student.context.close();
  console.log(`  playing after ${playingAfterMs} ms; after the jump, playing again after ${seekPlayingAfterMs} ms`);

  const rung480 = rungs.find((r) => r.name === '480p');
  const result = {
    bench: 'hour',
    lectureSeconds: seconds,
    sourceBytes,
    upload: {
      seconds: uploadSeconds,
      offlineSeconds: OFFLINE_SECONDS,
      mbPerSecondExcludingOffline: mbps(sourceBytes, uploadSeconds - OFFLINE_SECONDS),
      offlineAtPercent,
      reloadAtPercent,
      resumedFromPercent,
      storedBytes: Number(video.source_bytes),
      complete: Number(video.source_bytes) === sourceBytes,
      baselineDiskCopy: { seconds: copied.timing.wallSeconds, mbPerSecond: mbps(sourceBytes, copied.timing.wallSeconds) },
    },
    transcode: {
      chunks: chunks.length,
      seconds: transcodeSeconds,
      xRealtime: realtime,
      firstPlayableSeconds,
      firstPlayableShare: firstPlayableSeconds === null ? null : round(firstPlayableSeconds / seconds, 4),
      workerMemory,
      baselineDirect: { lectureSeconds: firstTwoSeconds, wallSeconds: direct.timing.wallSeconds, xRealtime: directRealtime, cpuSeconds: direct.timing.cpuSeconds, othersCores: direct.timing.othersCores },
      ofDirectSpeed: directRealtime ? round(realtime / directRealtime, 2) : null,
    },
    rungs,
    student: { link: LINK, playingAfterMs, seekToSeconds: SEEK_TO, seekPlayingAfterMs },
    targets: {
      realtime: realtime >= TARGETS.minRealtimeFactor,
      firstPlayable: firstPlayableSeconds !== null && firstPlayableSeconds / seconds <= TARGETS.maxFirstPlayableShare,
      workerMemory: workerMemory.peakMb < TARGETS.maxWorkerMb,
      hourAt480pWithin110Mb: rung480 ? (rung480.mb * 3600) / seconds <= 110 : null,
      uploadResumed: resumedFromPercent >= Math.floor(reloadAtPercent) - 1 && Number(video.source_bytes) === sourceBytes,
    },
  };
  console.log(JSON.stringify(result));
} catch (error) {
  // What the site's processes said (warnings and errors), then the error itself.
  console.error(site.logs().slice(-6000));
  await writeFile(join(shots, '..', 'hour-site.log'), site.logs());
  throw error;
} finally {
  await browser.close();
  await sql.end();
  await site.stop();
  await rm(work, { recursive: true, force: true });
  await rm(site.mediaRoot, { recursive: true, force: true });
}

function mbps(bytes: number, seconds: number): number {
  return round(bytes / 1e6 / seconds, 1);
}

/** The studio's upload progress bar (sent / total), 0 when it is not showing. */
async function uploadedShare(page: Page): Promise<number> {
  return page.evaluate(() => {
    const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="上传讲课视频"]');
    return bar && bar.max > 0 ? bar.value / bar.max : 0;
  });
}

async function untilUploaded(page: Page, share: number): Promise<void> {
  const deadline = Date.now() + 60 * 60_000;
  while ((await uploadedShare(page)) < share) {
    if (Date.now() > deadline) throw new Error(`The upload did not reach ${share * 100} %`);
    await page.waitForTimeout(100);
  }
}
