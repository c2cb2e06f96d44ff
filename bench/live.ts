// npm run bench:live [-- --seconds 30]
// Glass-to-glass delay of the teacher's live camera on loopback (decision 021): a web
// process and a worker, two Chromium pages (the teacher's console, whose "camera" paints
// the clock; a classroom screen that decodes it from the frame it shows), plus a baseline
// page playing the same stream with hls.js's default live settings, at the same time.
// Prints figures, then one JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { chromium, type Page } from 'playwright-core';
import { demoPassword } from '../db/seed/demo-data.js';
import { login } from './classroom-clients.js';
import { installPatternCamera, sampleGlassToGlass } from './live-pattern.js';
import { freePort } from '../tests/support/processes.js';
import { benchServices } from './bench-services.js';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '30' } } });
const SECONDS = Number(args.seconds);
const TARGET_MS = 6_000;
const root = path.resolve(import.meta.dirname, '..');
// The benchmarks' own database (never npm start's or the tests'), migrated and seeded.
const { DATABASE_URL, REDIS_URL } = await benchServices();
if (!existsSync(path.join(root, 'build/server/index.js'))) throw new Error('no server build: run `npm run build` first');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds of a process and its descendants (ffmpeg under the worker, Chromium's helpers). */
function treeCpuSeconds(rootPids: number[]): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      /* gone meanwhile */
    }
  }
  const inTree = (pid: number): boolean => rootPids.includes(pid) || (pid > 1 && stats.has(pid) && inTree(stats.get(pid)!.ppid));
  let ticks = 0;
  for (const [pid, s] of stats) if (inTree(pid)) ticks += s.ticks;
  return ticks / 100;
}
const machineBusySeconds = () => {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (cpu.reduce((a, b) => a + b, 0) - cpu[3]! - cpu[4]!) / 100;
};

const media = path.join(root, '.cache/bench-live-media');
rmSync(media, { recursive: true, force: true });
const secret = randomBytes(32).toString('hex');
const port = await freePort();
const env = { ...process.env, DATABASE_URL, REDIS_URL, NODE_ENV: 'production' as const, HOST: '127.0.0.1', PORT: String(port), SESSION_SECRET: secret, SECURE_COOKIES: '0', LOG_LEVEL: 'warn', MEDIA_ROOT: media, VIDEO_ENCODER_PRESET: 'ultrafast' };
const start = (entry: string): ChildProcess => spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
const web = start('app/server/main.ts');
const worker = start('workers/index.ts');
// A failed run must not leave its server and worker behind.
process.on('exit', () => [web, worker].forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 240 && !(await fetch(`${base}/clock`).then((r) => r.ok, () => false)); i++) await sleep(250);

const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
const [session] = await sql<{ id: string }[]>`
  insert into live_sessions (live_class_id, lesson_id, starts_at, ends_at, slides)
  select lc.id, l.id, now(), now() + interval '2 hours', '["bench"]'::jsonb from live_classes lc
  join users u on u.id = lc.teacher_id and u.email = 'teacher@demo.edu.cn' join lessons l on l.course_id = lc.course_id and l.position = 1 limit 1 returning id`;
const sessionId = session!.id;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
});
async function pageAs(email: string, opts: { bypassCSP?: boolean } = {}): Promise<Page> {
  const who = await login(base, email, demoPassword);
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, ...opts });
  await context.addCookies(who.cookie.split('; ').map((pair) => ({ name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1), url: base })));
  return context.newPage();
}

const teacher = await pageAs('teacher@demo.edu.cn');
await teacher.addInitScript({ content: installPatternCamera });
const screen = await pageAs('assistant@demo.edu.cn');
const baseline = await pageAs('assistant@demo.edu.cn', { bypassCSP: true });
await teacher.goto(`${base}/classroom/sessions/${sessionId}/console`);
await screen.goto(`${base}/classroom/sessions/${sessionId}/screen`);
await teacher.getByText('实时连接正常').waitFor();
await screen.getByText('实时连接正常').waitFor();

// Web, worker (and its ffmpeg) and Chromium are all this process's descendants.
const trees = () => [process.pid];
const cpuBefore = { ours: treeCpuSeconds(trees()), machine: machineBusySeconds(), at: performance.now() };

await teacher.getByLabel('同时发送摄像头画面（低清）').check();
await teacher.getByRole('button', { name: '开始直播' }).click();
await teacher.getByTestId('on-air').waitFor().catch(async (e: Error) => {
  throw new Error(`${e.message}: ${await teacher.locator('section[aria-labelledby="live-title"]').innerText()}`);
});
const wentLiveAt = Date.now();
await screen.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="live-video"]')?.currentTime ?? 0) > 0.5, null, { timeout: 60_000 });
const firstFrameMs = Date.now() - wentLiveAt;

// The baseline: the same 240p playlist in hls.js with its default live settings (3 target durations behind the edge, no catch-up).
const status = (await screen.evaluate((p) => fetch(p).then((r) => r.json()), `/classroom/sessions/${sessionId}/live`)) as { live: { playlists: { video: string } } };
await baseline.goto(`${base}/clock`);
await baseline.addScriptTag({ path: path.join(root, 'node_modules/hls.js/dist/hls.min.js') });
await baseline.evaluate((src) => {
  const video = document.createElement('video');
  video.muted = true;
  video.dataset.testid = 'baseline-video';
  document.body.append(video);
  const hls = new (window as unknown as { Hls: new () => { loadSource(s: string): void; attachMedia(v: HTMLVideoElement): void } }).Hls();
  hls.loadSource(src);
  hls.attachMedia(video);
  void video.play();
}, status.live.playlists.video);
await baseline.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="baseline-video"]')?.currentTime ?? 0) > 0.5, null, { timeout: 60_000 });

// Let both settle at their chosen distance from the live edge, then sample.
await sleep(5_000);
await screen.evaluate(sampleGlassToGlass('[data-testid="live-video"]'));
await baseline.evaluate(sampleGlassToGlass('[data-testid="baseline-video"]'));
await sleep(SECONDS * 1000);
type Samples = { delays: number[]; unreadable: number };
const read = (p: Page) => p.evaluate(() => (window as unknown as { __g2g: Samples }).__g2g);
const [tuned, defaults] = await Promise.all([read(screen), read(baseline)]);
const rung = await screen.getByTestId('live-video').getAttribute('data-rung');
const cpuAfter = { ours: treeCpuSeconds(trees()), machine: machineBusySeconds(), at: performance.now() };

await teacher.getByRole('button', { name: '停止直播' }).click();
await teacher.getByText(/录像/).first().waitFor({ timeout: 30_000 }).catch(() => {});
await browser.close();
await sql.end();
const exited = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)));
web.kill('SIGTERM');
worker.kill('SIGTERM');
const killer = setTimeout(() => [web, worker].forEach((c) => c.kill('SIGKILL')), 20_000);
await Promise.all([exited(web), exited(worker)]);
clearTimeout(killer);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const summary = (s: Samples) => ({ frames: s.delays.length, unreadable: s.unreadable, p50Ms: pct(s.delays, 50), p95Ms: pct(s.delays, 95), maxMs: s.delays.length ? Math.max(...s.delays) : NaN });
const wall = (cpuAfter.at - cpuBefore.at) / 1000;
const ourCores = (cpuAfter.ours - cpuBefore.ours) / wall;
const othersCores = Math.max(0, (cpuAfter.machine - cpuBefore.machine) / wall - ourCores);
const result = {
  bench: 'live',
  seconds: SECONDS,
  segmentSeconds: 1,
  rung,
  firstFrameMs,
  tuned: summary(tuned),
  baselineHlsDefaults: summary(defaults),
  targetMs: TARGET_MS,
  met: summary(tuned).maxMs <= TARGET_MS,
  ourCores: Math.round(ourCores * 100) / 100,
  othersCores: Math.round(othersCores * 100) / 100,
  cpus: os.cpus().length,
};
console.log(`glass-to-glass on loopback, ${SECONDS} s sampled, 1 s fMP4 segments, rung ${rung}`);
console.log(`  tuned hls.js (the classroom screen): p50 ${result.tuned.p50Ms} ms, p95 ${result.tuned.p95Ms} ms, max ${result.tuned.maxMs} ms over ${result.tuned.frames} frames (${result.tuned.unreadable} unreadable)`);
console.log(`  baseline, hls.js defaults:           p50 ${result.baselineHlsDefaults.p50Ms} ms, p95 ${result.baselineHlsDefaults.p95Ms} ms, max ${result.baselineHlsDefaults.maxMs} ms over ${result.baselineHlsDefaults.frames} frames`);
console.log(`  first live frame on the screen ${firstFrameMs} ms after going on air; target max ≤ ${TARGET_MS} ms: ${result.met ? 'met' : 'NOT met'}`);
console.log(`  our processes used ${result.ourCores} cores; other processes ${result.othersCores} of ${result.cpus}`);
console.log(JSON.stringify(result));
process.exit(0);
