/**
 * npm run bench:pages [-- --seconds 10] [-- --connections 50] [-- --no-build] [-- --api] [-- --clean]
 *
 * Seeds a generated provincial catalog (5,000 courses, 60 institutions) into the database
 * benchServices gives (DATABASE_URL, else the project's edu_bench), builds and starts the real server, then:
 * 1. bytes a first visit transfers for the key pages (catalog, search results, course,
 *    lesson with a ready lecture video, as the enrolled demo student), in Chromium;
 * 2. requests/s and p50/p99 latency of the catalog, search and course pages under
 *    autocannon with 50 connections over loopback, next to the same HTML served as static
 *    files by plain Node in the same run.
 * Human-readable lines first, JSON last. `--api` measures /api/catalog instead of the HTML
 * pages; `--clean` removes the generated catalog and exits.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { and, eq, like } from 'drizzle-orm';
import { createDatabase } from '../db/client.js';
import { courses, lessons, videos } from '../db/schema/index.js';
import { demoPassword } from '../db/seed/demo-data.js';
import { launchChromium } from '../tests/support/chromium.js';
import { FormClient } from '../tests/support/browserless.js';
import { freePort, startProcess, waitFor, type Running } from '../tests/support/processes.js';
import { benchServices, buildSite, databaseName } from './bench-services.js';
import { BENCH_PREFIX, removeBenchCatalog, seedBenchCatalog } from './catalog-seed.js';
import { round } from './cpu-load.js';
import { attachReadyVideo } from './pages/lesson-video.js';
import { loadTest, type LoadFigures } from './pages/load.js';
import { measureFirstVisit, type PageBytes } from './pages/page-bytes.js';

const TARGETS = { maxFirstVisitBytes: 60_000, maxSearchP99Ms: 100, minShareOfStatic: 0.3 } as const;

const { values: args } = parseArgs({
  options: {
    courses: { type: 'string', default: '5000' },
    institutions: { type: 'string', default: '60' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'no-build': { type: 'boolean', default: false },
    api: { type: 'boolean', default: false },
    clean: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const connections = Number(args.connections);

const urls = await benchServices();
const { db, sql } = createDatabase(urls.DATABASE_URL, { max: 4 });
console.log(`bench:pages on ${cpus().length} cores, load average ${loadavg().map((l) => round(l, 2)).join(' ')}; database ${databaseName(urls.DATABASE_URL)}`);
if (args.clean) {
  await removeBenchCatalog(db);
  console.log('generated catalog removed');
  await sql.end();
  process.exit(0);
}

console.log('seeding the generated catalog (once; later runs reuse it)...');
const seeded = await seedBenchCatalog(db, { institutions: Number(args.institutions), courses: Number(args.courses), teachersPerInstitution: 8 }, console.log);
console.log(seeded.seeded ? `  seeded in ${seeded.seconds} s` : '  already there');
const [counts] = await sql<{ courses: number; published: number; institutions: number; lessons: number }[]>`
  select (select count(*)::int from courses) as courses, (select count(*)::int from courses where published_at is not null) as published,
    (select count(distinct institution_id)::int from courses) as institutions, (select count(*)::int from lessons) as lessons`;

const mediaRoot = await mkdtemp(path.join(tmpdir(), 'bench-pages-media-'));
const [demoLesson] = await db.select({ id: lessons.id }).from(lessons).innerJoin(courses, eq(courses.id, lessons.courseId)).where(and(eq(courses.slug, 'fzu-linear-algebra-1'), eq(lessons.position, 1)));
console.log('a ready lecture video for the lesson page (8 s clip through the real ladder)...');
await attachReadyVideo(db, demoLesson!.id, mediaRoot);

if (!args['no-build']) {
  console.log('building...');
  await buildSite();
}

const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const server = startProcess('app/server/main.ts', {
  ...urls, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), SESSION_SECRET: randomBytes(32).toString('hex'),
  SECURE_COOKIES: '0', LOG_LEVEL: 'warn', MEDIA_ROOT: mediaRoot,
});
let staticServer: Running | undefined;
const work = await mkdtemp(path.join(tmpdir(), 'bench-pages-'));
try {
  await waitFor(async () => (await fetch(`${baseUrl}/`)).ok, 60_000, 'the site to answer');

  const slugs = (await db.select({ slug: courses.slug }).from(courses).where(like(courses.slug, `${BENCH_PREFIX}%`)).orderBy(courses.slug))
    .filter((_, i) => i % 97 === 0).slice(0, 30).map((c) => c.slug);
  const queries = ['线性代数', '线代', '数学'];
  const q = (text: string) => encodeURIComponent(text);
  const paths = args.api
    ? { catalog: ['/api/catalog', '/api/catalog?page=2', '/api/catalog?subject=computing'], search: queries.map((t) => `/api/catalog?q=${q(t)}`), course: slugs.map((s) => `/api/catalog/${s}`) }
    : { catalog: ['/courses', '/courses?page=2', '/courses?subject=computing'], search: queries.map((t) => `/courses?q=${q(t)}`), course: slugs.map((s) => `/courses/${s}`) };
  const lessonPath = `/lessons/${demoLesson!.id}`;

  console.log('first-visit bytes in Chromium (gzip, images and video excluded)...');
  const student = new FormClient(baseUrl);
  if ((await student.login('student@demo.edu.cn', demoPassword)).status !== 302) throw new Error('the demo student could not log in');
  const studentCookies = [...student.cookies].map(([name, value]) => ({ name, value }));
  const browser = await launchChromium();
  const bytes: Record<string, PageBytes> = {};
  try {
    bytes.catalog = await measureFirstVisit(browser, baseUrl + paths.catalog[0]!);
    bytes.search = await measureFirstVisit(browser, baseUrl + paths.search[0]!);
    bytes.course = await measureFirstVisit(browser, baseUrl + paths.course[0]!);
    bytes.lesson = await measureFirstVisit(browser, baseUrl + lessonPath, studentCookies);
  } finally {
    await browser.close();
  }
  for (const [page, b] of Object.entries(bytes)) {
    console.log(`  ${page.padEnd(8)} ${b.status} ${(b.total / 1000).toFixed(1)} KB (html ${b.html}, css ${b.css}, js ${b.js}, other ${b.other}; excluded images ${b.excluded.images}, media ${b.excluded.media}; ${b.encodings.join('/')})`);
  }

  // The static baseline serves exactly the bytes the site rendered for each path.
  const map: Record<string, string> = {};
  for (const p of [...paths.catalog, ...paths.search, ...paths.course]) {
    const res = await fetch(baseUrl + p, { headers: { 'accept-encoding': 'identity' } });
    if (!res.ok) throw new Error(`${p} answered ${res.status}`);
    const file = path.join(work, `${Object.keys(map).length}.html`);
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    map[p] = file;
  }
  await writeFile(path.join(work, 'map.json'), JSON.stringify(map));
  const staticPort = await freePort();
  staticServer = startProcess('bench/pages/static-server.ts', { STATIC_PORT: String(staticPort), STATIC_MAP: path.join(work, 'map.json') });
  const staticUrl = `http://127.0.0.1:${staticPort}`;
  await waitFor(async () => (await fetch(staticUrl + paths.catalog[0]!)).ok, 30_000, 'the static baseline');

  console.log(`load: ${connections} connections, ${seconds} s per run, site then static baseline...`);
  const load: Record<string, { site: LoadFigures; static: LoadFigures; shareOfStatic: number }> = {};
  for (const page of ['catalog', 'search', 'course'] as const) {
    const site$ = { connections, serverPid: server.child.pid! };
    const static$ = { connections, serverPid: staticServer.child.pid! };
    await loadTest(baseUrl, paths[page], { ...site$, seconds: 2 }); // warm-up: JIT, pools, caches
    const site = await loadTest(baseUrl, paths[page], { ...site$, seconds });
    await loadTest(staticUrl, paths[page], { ...static$, seconds: 2 });
    const baseline = await loadTest(staticUrl, paths[page], { ...static$, seconds });
    load[page] = { site, static: baseline, shareOfStatic: round(site.requestsPerSecond / baseline.requestsPerSecond, 3) };
    console.log(`  ${page.padEnd(8)} site ${site.requestsPerSecond} req/s p50 ${site.p50Ms} ms p99 ${site.p99Ms} ms, ${site.serverCpuMsPerRequest} CPU-ms/req (non-2xx ${site.non2xx}, errors ${site.errors}, other cores ${site.otherCores})` +
      ` | static ${baseline.requestsPerSecond} req/s p50 ${baseline.p50Ms} ms p99 ${baseline.p99Ms} ms, ${baseline.serverCpuMsPerRequest} CPU-ms/req (other cores ${baseline.otherCores}) | ${Math.round(load[page].shareOfStatic * 100)} % of static`);
  }

  const pass = {
    // The byte budget is for the catalog (search results included) and course pages;
    // the lesson page loads the player, after its first frame (bench:startup measures that).
    bytes: Object.fromEntries(Object.entries(bytes).filter(([k]) => k !== 'lesson').map(([k, b]) => [k, b.status === 200 && b.total <= TARGETS.maxFirstVisitBytes])),
    searchP99: load.search!.site.p99Ms < TARGETS.maxSearchP99Ms && load.search!.site.non2xx === 0,
    catalogShare: load.catalog!.shareOfStatic >= TARGETS.minShareOfStatic && load.catalog!.site.non2xx === 0,
    courseShare: load.course!.shareOfStatic >= TARGETS.minShareOfStatic && load.course!.site.non2xx === 0,
  };
  const all = Object.values(pass.bytes).every(Boolean) && pass.searchP99 && pass.catalogShare && pass.courseShare;
  console.log(all ? 'every target met' : `targets missed: ${JSON.stringify(pass)}`);
  console.log(JSON.stringify({
    bench: 'pages',
    mode: args.api ? 'api' : 'html',
    machine: { cores: cpus().length, loadAverageAtEnd: loadavg().map((l) => round(l, 2)) },
    catalog: counts,
    paths: { catalog: paths.catalog, search: paths.search, course: `${paths.course.length} course pages`, lesson: lessonPath },
    firstVisitBytes: bytes,
    load: { connections, seconds, ...load },
    targets: TARGETS,
    pass: { ...pass, all },
  }));
} finally {
  staticServer?.child.kill('SIGTERM');
  server.child.kill('SIGTERM');
  await server.exited;
  await db.delete(videos).where(like(videos.uploadId, 'bench-%'));
  await sql.end();
  await rm(work, { recursive: true, force: true });
  await rm(mediaRoot, { recursive: true, force: true });
}
