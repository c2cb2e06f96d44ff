// npm run bench:classroom [-- --screens 1000 --commands 20 --steady-seconds 60]
// Two web processes on one Redis and one database; simulated receiving screens split
// between them; the teacher's commands go through the first. Prints figures, then JSON.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { CLOCK_BURST, CLOCK_RESAMPLE_MS } from '../app/features/classrooms/clock-offset.js';
import { seededRandom } from '../app/features/classrooms/seeded-random.js';
import { countedRequest, login, offsetErrors, percentile, sampleClock, ScreenStream, sleep, type Identity } from './classroom-clients.js';
import { freePort } from '../tests/support/processes.js';
import { benchServices } from './bench-services.js';

const { values: args } = parseArgs({ options: { screens: { type: 'string', default: '1000' }, commands: { type: 'string', default: '20' }, 'steady-seconds': { type: 'string', default: '60' }, 'steady-sample': { type: 'string', default: '50' } } });
const SCREENS = Number(args.screens);
const COMMANDS = Number(args.commands);
const STEADY_SECONDS = Number(args['steady-seconds']);
const STEADY_SAMPLE = Math.min(SCREENS, Number(args['steady-sample']));
const TARGETS = { p99FanOutMs: 150, offsetLoopbackMs: 10, offsetJitterMs: 30, idleScreenKB: 30, controlKbps: 2 };

const root = path.resolve(import.meta.dirname, '..');
// The benchmarks' own database (never npm start's or the tests'), migrated and seeded.
const { DATABASE_URL, REDIS_URL } = await benchServices();
if (!existsSync(path.join(root, 'build/server/index.js'))) throw new Error('no server build: run `npm run build` first');

const rssKB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const lastMemory = new Map<number, NodeJS.MemoryUsage>();
/** Both web processes' resident memory and JavaScript memory (heap + buffers) after a full garbage collection, in KB. */
async function settledMemory(pids: number[]) {
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  await sleep(1500);
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  await sleep(1500);
  const js = (pid: number) => {
    const m = lastMemory.get(pid)!;
    return (m.heapUsed + m.external) / 1024;
  };
  return { rss: pids.reduce((n, pid) => n + rssKB(pid), 0), js: pids.reduce((n, pid) => n + js(pid), 0) };
}
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function startWeb(secret: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'app/server/main.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL, REDIS_URL, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), SESSION_SECRET: secret, SECURE_COOKIES: '0', LOG_LEVEL: 'warn', MEDIA_ROOT: path.join(root, '.cache/bench-media') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // The process reports its memory after a full collection on SIGUSR2 (app/server/main.ts).
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (let nl = err.indexOf('\n'); nl >= 0; nl = err.indexOf('\n')) {
      const line = err.slice(0, nl);
      err = err.slice(nl + 1);
      if (line.startsWith('edu-memory ')) lastMemory.set(child.pid!, JSON.parse(line.slice(11)) as NodeJS.MemoryUsage);
      else if (!/ERR_INVALID_STATE|^\s+at |^}$/.test(line)) process.stderr.write(`${line}\n`);
    }
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if (await fetch(`${base}/clock`).then((r) => r.ok, () => false)) return { base, child };
    await sleep(250);
  }
  throw new Error('web process did not start');
}

const sql = postgres(DATABASE_URL, { max: 2, onnotice: () => {} });
const [session] = await sql<{ id: string }[]>`
  insert into live_sessions (live_class_id, lesson_id, starts_at, ends_at, slides)
  select lc.id, l.id, now(), now() + interval '2 hours', '["bench"]'::jsonb from live_classes lc
  join users u on u.id = lc.teacher_id and u.email = 'teacher@demo.edu.cn' join lessons l on l.course_id = lc.course_id and l.position = 1 limit 1 returning id`;
if (!session) throw new Error('no demo live class: run `npm run db:seed` (with demo users) first');
const sessionId = session.id;

const secret = randomBytes(32).toString('hex');
const [A, B] = await Promise.all([startWeb(secret), startWeb(secret)]);
const stop = () => { A.child.kill('SIGTERM'); B.child.kill('SIGTERM'); };
process.on('exit', stop);
console.log(`web A ${A.base} (pid ${A.child.pid}), web B ${B.base} (pid ${B.child.pid}); session ${sessionId}`);
const teacher = await login(A.base, 'teacher@demo.edu.cn', 'demo-pass-2026');
const assistant = await login(A.base, 'assistant@demo.edu.cn', 'demo-pass-2026');
const commandUrl = `${A.base}/classroom/sessions/${sessionId}/commands`;
const post = (who: Identity, url: string, fields: Record<string, string>) =>
  countedRequest(url, { method: 'POST', headers: { Cookie: who.cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...fields, csrf: who.csrf }).toString() });
// Warm both processes (first requests compile routes and fill pools).
for (const base of [A.base, B.base]) {
  for (let i = 0; i < 5; i++) {
    const warm = new ScreenStream(base, `/classroom/sessions/${sessionId}/events`, assistant);
    await warm.open();
    warm.close();
  }
}
await sleep(2000);

// 1. Memory: idle keep-alive HTTP connections first (the baseline: what any open socket costs), then idle screens.
const half = Math.ceil(SCREENS / 2);
const pids = [A.child.pid!, B.child.pid!];
const mem0 = await settledMemory(pids);
const idleSockets: net.Socket[] = [];
for (let i = 0; i < SCREENS; i++) {
  const base = new URL(i < half ? A.base : B.base);
  const s = net.connect(Number(base.port), base.hostname);
  s.write(`GET /clock HTTP/1.1\r\nHost: ${base.host}\r\nConnection: keep-alive\r\n\r\n`);
  s.on('data', () => {});
  idleSockets.push(s);
}
await sleep(1000);
const mem1 = await settledMemory(pids);
console.log(`opening ${SCREENS} screens…`);
const screens: ScreenStream[] = [];
for (let i = 0; i < SCREENS; i += 50) {
  const batch = Array.from({ length: Math.min(50, SCREENS - i) }, (_, j) => new ScreenStream(i + j < half ? B.base : A.base, `/classroom/sessions/${sessionId}/events`, assistant));
  await Promise.all(batch.map((s) => s.open()));
  screens.push(...batch);
}
await sleep(2000);
const mem2 = await settledMemory(pids);
idleSockets.forEach((s) => s.destroy());
// JavaScript memory (V8 heap + buffers it tracks) after full GCs is what a screen keeps alive;
// RSS also holds native socket state but moves in pages and arenas, so it is noisy at this scale.
const perScreenKB = (mem2.js - mem1.js) / SCREENS;
const perSocketKB = (mem1.js - mem0.js) / SCREENS;
const perScreenRssKB = (mem2.rss - mem1.rss) / SCREENS;
const perSocketRssKB = (mem1.rss - mem0.rss) / SCREENS;
console.log(`memory per idle screen: ${round(perScreenKB)} KB of JavaScript heap (RSS ${round(perScreenRssKB)} KB); baseline idle keep-alive socket ${round(perSocketKB)} KB heap (RSS ${round(perSocketRssKB)} KB)`);

// 2. Fan-out: the teacher's command through A to every screen on A and B; baseline: a bare Redis publish → subscriber.
const fanOut: number[] = [];
const acks: number[] = [];
for (let c = 0; c < COMMANDS; c++) {
  const sent = performance.now();
  const { status } = await post(teacher, commandUrl, { intent: c % 2 === 0 ? 'play' : 'pause' });
  acks.push(performance.now() - sent);
  if (status !== 200) throw new Error(`command refused: ${status}`);
  const seq = c + 1;
  for (let wait = 0; wait < 100 && screens.some((s) => !s.arrivals.has(seq)); wait++) await sleep(50);
  for (const s of screens) fanOut.push((s.arrivals.get(seq) ?? Infinity) - sent);
  await sleep(300);
}
const lost = fanOut.filter((x) => x === Infinity).length;
const pub = new Redis(REDIS_URL);
const sub = pub.duplicate();
const redisMs: number[] = [];
await sub.subscribe('edu:bench:baseline');
await new Promise<void>((resolve) => {
  let sentAt = 0;
  sub.on('message', () => {
    redisMs.push(performance.now() - sentAt);
    if (redisMs.length < COMMANDS) { sentAt = performance.now(); void pub.publish('edu:bench:baseline', 'x'); } else resolve();
  });
  sentAt = performance.now();
  void pub.publish('edu:bench:baseline', 'x');
});
await Promise.all([pub.quit(), sub.quit()]);
const fan = { p50: round(percentile(fanOut, 0.5)), p99: round(percentile(fanOut, 0.99)), max: round(Math.max(...fanOut)), commandAckP50: round(percentile(acks, 0.5)) };
console.log(`fan-out to ${SCREENS} screens × ${COMMANDS} commands: p50 ${fan.p50} ms, p99 ${fan.p99} ms, max ${fan.max} ms, lost ${lost} (the teacher's request itself answered in ${fan.commandAckP50} ms p50); baseline bare Redis pub/sub p50 ${round(percentile(redisMs, 0.5), 2)} ms`);

// 3. Clock offset: 50 screens each run the client's first burst of exchanges; true offset is 0 (one machine).
const rnd = seededRandom(2026);
const clockRuns = async (jitter: boolean) => {
  const runs = await Promise.all(Array.from({ length: 50 }, (_, i) => sampleClock(i % 2 ? A.base : B.base, CLOCK_BURST, jitter ? () => 50 + rnd() * 100 : () => 0)));
  const errs = runs.map(offsetErrors);
  const f = errs.map((e) => e.filtered);
  const s = errs.map((e) => e.single);
  return { p50: round(percentile(f, 0.5), 2), p99: round(percentile(f, 0.99), 2), max: round(Math.max(...f), 2), singleSampleP50: round(percentile(s, 0.5), 2), singleSampleMax: round(Math.max(...s), 2) };
};
const offsetLoopback = await clockRuns(false);
const offsetJitter = await clockRuns(true);
console.log(`clock offset error (${CLOCK_BURST}-sample min-delay filter): loopback p99 ${offsetLoopback.p99} ms (single exchange ${offsetLoopback.singleSampleP50} ms p50); 100±50 ms jitter p50 ${offsetJitter.p50}, p99 ${offsetJitter.p99}, max ${offsetJitter.max} ms (single exchange p50 ${offsetJitter.singleSampleP50}, max ${offsetJitter.singleSampleMax} ms)`);

// 4. Steady state: a sample of screens also does what a browser screen does (clock every 10 s, status every 10 s).
console.log(`steady state for ${STEADY_SECONDS} s (${STEADY_SAMPLE} screens reporting and sampling the clock)…`);
const sample = screens.slice(0, STEADY_SAMPLE);
const before = sample.map((s) => s.bytesIn + s.bytesOut);
let upBytes = 0;
const t0 = performance.now();
const timers = sample.flatMap((s, i) => {
  const statusUrl = `${s.base}/classroom/sessions/${sessionId}/commands`;
  const report = () => void post(assistant, statusUrl, { intent: 'status', buffering: '0', rttMs: '12', bufferSeconds: '24.5', driftMs: '-18', rung: '240p' }).then((r) => (upBytes += r.bytes));
  const clock = () => void countedRequest(`${s.base}/clock`, { method: 'GET', headers: {} }).then((r) => (upBytes += r.bytes));
  return [setTimeout(() => report(), (i * 97) % 10_000), setInterval(report, 10_000), setInterval(clock, CLOCK_RESAMPLE_MS)];
});
await sleep(STEADY_SECONDS * 1000);
timers.forEach((t) => clearInterval(t));
const minutes = (performance.now() - t0) / 60_000;
const streamBytes = sample.reduce((n, s, i) => n + s.bytesIn + s.bytesOut - before[i]!, 0);
const perScreenPerMinute = (streamBytes + upBytes) / STEADY_SAMPLE / minutes;
const controlKbps = (perScreenPerMinute * 8) / 60 / 1000;
console.log(`control traffic: ${Math.round(perScreenPerMinute)} bytes/min per screen = ${round(controlKbps, 3)} kbit/s (stream ${Math.round(streamBytes / STEADY_SAMPLE / minutes)} B/min, requests ${Math.round(upBytes / STEADY_SAMPLE / minutes)} B/min)`);

screens.forEach((s) => s.close());
await sql`update live_sessions set status = 'ended', ended_at = now() where id = ${sessionId}`;
await sql.end();
stop();
const result = {
  screens: SCREENS,
  webProcesses: 2,
  fanOutMs: { ...fan, lost, commands: COMMANDS, baselineRedisPubSubP50: round(percentile(redisMs, 0.5), 2) },
  clockOffsetErrorMs: { loopback: offsetLoopback, jitter100pm50: offsetJitter },
  memoryPerIdleScreenKB: { heap: round(perScreenKB), rss: round(perScreenRssKB), baselineIdleSocketHeap: round(perSocketKB), baselineIdleSocketRss: round(perSocketRssKB) },
  controlBytesPerMinutePerScreen: Math.round(perScreenPerMinute),
  controlKbpsPerScreen: round(controlKbps, 3),
  loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number),
  targets: TARGETS,
  met: {
    fanOut: fan.p99 < TARGETS.p99FanOutMs && lost === 0,
    offsetLoopback: offsetLoopback.max < TARGETS.offsetLoopbackMs,
    offsetJitter: offsetJitter.p99 < TARGETS.offsetJitterMs,
    memory: perScreenKB < TARGETS.idleScreenKB && perScreenRssKB < TARGETS.idleScreenKB,
    control: controlKbps <= TARGETS.controlKbps,
  },
};
console.log(JSON.stringify(result));
process.exit(0);
