import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import postgres from 'postgres';
import { demoPassword } from '../db/seed/demo-data.js';
import { freePort, startProcess, waitFor, type Running } from '../tests/support/processes.js';
import { benchServices } from './bench-services.js';

/**
 * Our real site for bench:startup: the built web server and a worker on the benchmarks'
 * database and Redis (benchServices: DATABASE_URL/REDIS_URL, else the project's edu_bench),
 * migrated and seeded with the demo accounts, media in a temporary folder.
 */
export interface BenchSite {
  baseUrl: string;
  mediaRoot: string;
  databaseUrl: string;
  /** The worker's Node process (its ffmpeg children have their own pids). */
  workerPid: number;
  /** What the web and worker processes printed (warnings and errors only). */
  logs: () => string;
  stop: () => Promise<void>;
}

export async function startSite(options: { logLevel?: string } = {}): Promise<BenchSite> {
  const urls = await benchServices();
  const port = await freePort();
  const mediaRoot = await mkdtemp(join(tmpdir(), 'bench-startup-media-'));
  const env = { ...urls, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), SESSION_SECRET: randomBytes(32).toString('hex'), SECURE_COOKIES: '0', LOG_LEVEL: options.logLevel ?? 'warn', MEDIA_ROOT: mediaRoot };
  const worker: Running = startProcess('workers/index.ts', env);
  const web: Running = startProcess('app/server/main.ts', env);
  // A process that dies before stop() says how and what it printed last.
  let stopping = false;
  for (const [name, p] of [['worker', worker], ['web', web]] as const) {
    p.child.on('exit', (code, signal) => {
      if (!stopping) console.error(`the bench site's ${name} exited early (${code ?? signal}):\n${p.output().slice(-4000)}`);
    });
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await fetch(`${baseUrl}/healthz`)).ok, 60_000, 'the site to report healthy');
  } catch (error) {
    console.error(web.output(), worker.output());
    throw error;
  }
  return {
    baseUrl,
    mediaRoot,
    databaseUrl: urls.DATABASE_URL,
    workerPid: worker.child.pid!,
    logs: () => `web:\n${web.output()}\nworker:\n${worker.output()}`,
    stop: async () => {
      stopping = true;
      web.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      await Promise.all([web.exited, worker.exited]);
    },
  };
}

export async function logIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(demoPassword);
  await page.locator('form button[type="submit"]').last().click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Uploads the lecture as the demo teacher through the studio page and waits for the whole ladder. */
export async function publishLecture(browser: Browser, site: BenchSite, file: string): Promise<string> {
  const sql = postgres(site.databaseUrl, { max: 1 });
  try {
    const [lesson] = await sql<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1' and l.position = 1`;
    if (!lesson) throw new Error('The seeded lesson is missing');
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, site.baseUrl, 'teacher@demo.edu.cn');
    await page.goto(`${site.baseUrl}/studio/lessons/${lesson.id}`);
    const now = (await sql<{ now: Date }[]>`select now()`)[0]!.now;
    await page.setInputFiles('#lecture-file', file);
    await page.getByRole('button', { name: '开始上传' }).click();
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      const [row] = await sql<{ status: string; failures: unknown }[]>`select status, failures from videos where lesson_id = ${lesson.id} and created_at >= ${now} order by created_at desc limit 1`;
      if (row?.status === 'ready') break;
      if (row?.status === 'failed') throw new Error(`The lecture failed to transcode: ${JSON.stringify(row.failures)}`);
      if (Date.now() > deadline) throw new Error(`The lecture did not become ready (status ${row?.status ?? 'none'})`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    await context.close();
    return `${site.baseUrl}/lessons/${lesson.id}`;
  } finally {
    await sql.end();
  }
}
