/**
 * npm run bench:credits: seeds 50 institutions, 5,000 rules and 100,000 requests (tagged
 * `cbench-`, skipped when present) in the database benchServices gives (DATABASE_URL and
 * REDIS_URL when both are set, else the project's edu_bench), then measures, in this run:
 *  - auto-matching 10,000 new requests (autoMatchSubmitted: load, match, write, approve),
 *    and the matcher alone, indexed vs a naive scan of every rule;
 *  - the registrar queue page through the real HTTP server (filtered, paginated), p50/p99;
 *  - bulk approval of 1,000 requests vs the same 1,000 approved one transaction each;
 *  - ledger verification speed, paged by 5,000 vs by 100.
 * Needs a build (npm run build). Human-readable lines first, JSON last.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { and, eq, inArray, sql as dsql } from 'drizzle-orm';
import { createDatabase } from '../db/client.js';
import { generate } from 'otplib';
import { hashPassword } from '../db/password.js';
import { sealTotpSecret } from '../db/second-factor-seal.js';
import { creditRequests, equivalencyRules, equivalencyRuleSources, completionRecords } from '../db/schema/index.js';
import { autoMatchSubmitted } from '../app/features/credits/auto-match.server.js';
import { parseCreditTenths } from '../app/features/credits/credit-units.js';
import { approveRequests } from '../app/features/credits/decisions.server.js';
import { appendLedger } from '../app/features/credits/ledger.server.js';
import { verifyLedger } from '../app/features/credits/ledger.server.js';
import { indexRules, matchRecord, matchRecordNaive, type MatchRule } from '../app/features/credits/matcher.js';
import { toMatchRecord } from '../app/features/credits/requests.server.js';
import { toMatchRule } from '../app/features/credits/rules.server.js';
import { benchServices, databaseName } from './bench-services.js';
import { BENCH, TAG, after, like, seedBenchData } from './credits-seed.js';

if (!existsSync('build/server/index.js')) throw new Error('no build: run `npm run build` first');
const { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = await benchServices();
const { db, sql } = createDatabase(databaseUrl, { max: 8 });
const ms = (from: number) => Math.round(performance.now() - from);
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const run = randomBytes(3).toString('hex');

const loadAtStart = loadavg()[0]!.toFixed(1);
console.log(`bench:credits on ${cpus().length} cores, load average ${loadAtStart}, run ${run}; database ${databaseName(databaseUrl)}`);
let t = performance.now();
const seeded = await seedBenchData(sql);
const [counts] = await sql`select (select count(*)::int from institutions where slug like ${like(TAG.institution)}) as institutions,
  (select count(*)::int from equivalency_rules r join institutions i on i.id = r.institution_id where i.slug like ${like(TAG.institution)}) as rules,
  (select count(*)::int from credit_requests) as requests`;
console.log(`  data: ${counts!.institutions} institutions, ${counts!.rules} rules, ${counts!.requests} requests (${seeded ? `seeded in ${ms(t)} ms` : 'already there'})`);

const institutions = await sql<{ id: string; n: number }[]>`select id, substring(slug from ${after(TAG.institution)}::int)::int as n from institutions where slug like ${like(TAG.institution)} order by slug`;
const courseByN = new Map((await sql<{ id: string; n: number }[]>`select id, row_number() over (order by slug)::int - 1 as n from courses where slug like ${like(TAG.course)}`).map((c) => [c.n, c.id]));

/** `count` new students (at each home institution in turn, or all at `onlyHome`), each with completion records of the given courses. */
async function newStudents(count: number, tag: string, coursesFor: (i: number, home: number) => number[], onlyHome?: { id: string; n: number }) {
  const users = await sql<{ id: string }[]>`insert into users (pseudonym, display_name)
    select ${TAG.institution}::text || ${tag}::text || '-' || i, 'bench' from generate_series(0, ${count - 1}) i returning id`;
  const homes = users.map((u, i) => ({ userId: u.id, home: onlyHome ?? institutions[i % institutions.length]! }));
  await sql`insert into memberships ${sql(homes.map((h) => ({ user_id: h.userId, institution_id: h.home.id, role: 'student' })))}`;
  const records: { userId: string; courseId: string; home: string }[] = [];
  homes.forEach((h, i) => {
    for (const n of new Set(coursesFor(i, h.home.n))) records.push({ userId: h.userId, courseId: courseByN.get(n)!, home: h.home.id });
  });
  for (let i = 0; i < records.length; i += 5000) {
    const slice = records.slice(i, i + 5000);
    await sql`insert into completion_records (user_id, course_id, institution_id, course_slug, course_title_zh, course_title_en, institution_name_zh, institution_name_en, credits, class_hours, final_grade, completed_on)
      select v.user_id::uuid, c.id, c.institution_id, c.slug, c.title_zh, c.title_en, i.name_zh, i.name_en, c.credits, c.class_hours, (60 + (abs(hashtext(v.user_id || c.slug)) % 40))::numeric(5,2), date '2025-06-01'
      from (values ${sql(slice.map((r) => [r.userId, r.courseId]))}) as v(user_id, course_id)
      join courses c on c.id = v.course_id::uuid join institutions i on i.id = c.institution_id`;
  }
  return homes;
}

async function submitAll(homes: { userId: string; home: { id: string } }[], status: 'submitted' | 'in-review', ruleId: string | null = null) {
  const byUser = new Map(homes.map((h) => [h.userId, h.home.id]));
  for (let i = 0; i < homes.length; i += 1000) {
    const users = homes.slice(i, i + 1000).map((h) => h.userId);
    const records = await db.select().from(completionRecords).where(inArray(completionRecords.userId, users));
    await db.insert(creditRequests).values(
      records.map((r) => ({ userId: r.userId, institutionId: byUser.get(r.userId)!, completionRecordId: r.id, sourceInstitutionId: r.institutionId, sourceCourseId: r.courseId, targetKind: 'elective' as const, status, ruleId, awardedCredits: ruleId ? r.credits : null })),
    );
  }
}

// 1. Auto-match 10,000 new requests: 2,000 students × 5 courses that their home's rules name.
const rulesByHome = new Map<number, { c1: number }[]>();
for (const inst of institutions) rulesByHome.set(inst.n, Array.from({ length: BENCH.rulesPerInstitution }, (_, r) => ({ c1: (inst.n * 131 + r * 17 + 40) % 2000 })));
const fresh = await newStudents(2000, `n${run}`, (i, home) => [0, 1, 2, 3, 4].map((k) => rulesByHome.get(home)![(i * 5 + k) % BENCH.rulesPerInstitution]!.c1));
await submitAll(fresh, 'submitted');
const [{ pending }] = (await sql`select count(*)::int as pending from credit_requests where status = 'submitted'`) as unknown as [{ pending: number }];
t = performance.now();
const matched = await autoMatchSubmitted(db);
const autoMatchMs = ms(t);
console.log(`  auto-match: ${pending} submitted requests in ${autoMatchMs} ms (${matched.matched} approved and posted, ${matched.review} to review)`);

// The matcher alone on the same 10,000 records: indexed vs scanning every rule.
const allRules = await db.select().from(equivalencyRules).where(inArray(equivalencyRules.institutionId, institutions.map((i) => i.id)));
const allSources = await db.select().from(equivalencyRuleSources).where(inArray(equivalencyRuleSources.ruleId, allRules.map((r) => r.id)));
const sourcesByRule = new Map<string, typeof allSources>();
for (const s of allSources) sourcesByRule.set(s.ruleId, [...(sourcesByRule.get(s.ruleId) ?? []), s]);
const matchRules: (MatchRule & { institutionId: string })[] = allRules.map((r) => ({ ...toMatchRule(r, sourcesByRule.get(r.id) ?? []), institutionId: r.institutionId }));
const freshRecords = await db.select().from(completionRecords).where(inArray(completionRecords.userId, fresh.map((f) => f.userId)));
const homeOf = new Map(fresh.map((f) => [f.userId, f.home.id]));
t = performance.now();
const indexes = new Map(institutions.map((i) => [i.id, indexRules(matchRules.filter((r) => r.institutionId === i.id))]));
let indexedMatches = 0;
for (const r of freshRecords) if (matchRecord(indexes.get(homeOf.get(r.userId)!)!, toMatchRecord(r)).outcome !== 'no-match') indexedMatches++;
const indexedMs = performance.now() - t;
t = performance.now();
let naiveMatches = 0;
for (const r of freshRecords) {
  const home = homeOf.get(r.userId)!;
  if (matchRecordNaive(matchRules.filter((x) => x.institutionId === home), toMatchRecord(r)).outcome !== 'no-match') naiveMatches++;
}
const naiveMs = performance.now() - t;
if (naiveMatches !== indexedMatches) throw new Error('naive and indexed matchers disagree');
console.log(`  matcher alone, ${freshRecords.length} records vs ${matchRules.length} rules: indexed ${indexedMs.toFixed(1)} ms, naive scan ${naiveMs.toFixed(1)} ms`);

// 2. Bulk approval: 1,000 requests in review under one rule, at once vs one transaction each.
const [rule] = await db
  .select()
  .from(equivalencyRules)
  .where(and(eq(equivalencyRules.institutionId, institutions[1]!.id), eq(equivalencyRules.autoApprove, false), dsql`${equivalencyRules.minGrade} is null`))
  .limit(1);
const [ruleSource] = await db.select().from(equivalencyRuleSources).where(eq(equivalencyRuleSources.ruleId, rule!.id));
const ruleCourseN = [...courseByN].find(([, id]) => id === ruleSource!.courseId)![0];
async function reviewBatch(tag: string) {
  const homes = await newStudents(1000, tag, () => [ruleCourseN], institutions[1]!);
  await submitAll(homes, 'in-review', rule!.id);
  return db.select({ id: creditRequests.id, credits: creditRequests.awardedCredits }).from(creditRequests).where(and(eq(creditRequests.ruleId, rule!.id), eq(creditRequests.status, 'in-review'))).limit(1000);
}
const bulk = await reviewBatch(`b${run}`);
t = performance.now();
const bulkResult = await db.transaction((tx) => approveRequests(tx, institutions[1]!.id, bulk.map((b) => ({ requestId: b.id, version: null, creditsTenths: parseCreditTenths(b.credits!)! })), null, 'bench bulk'));
const bulkMs = ms(t);
const single = await reviewBatch(`o${run}`);
t = performance.now();
for (const b of single) await db.transaction((tx) => approveRequests(tx, institutions[1]!.id, [{ requestId: b.id, version: null, creditsTenths: parseCreditTenths(b.credits!)! }], null, 'bench one by one'));
const oneByOneMs = ms(t);
console.log(`  bulk approval: ${bulkResult.approved.length} in ${bulkMs} ms; the same number one transaction each: ${oneByOneMs} ms`);

// 3. Registrar queue through the real server.
const port = 20000 + Math.floor(Math.random() * 20000);
const siteSecret = randomBytes(32).toString('hex');
const server = spawn(path.resolve('node_modules/.bin/tsx'), ['app/server/main.ts'], {
  env: { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', SECURE_COOKIES: '0', LOG_LEVEL: 'warn', SESSION_SECRET: siteSecret },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const base = `http://127.0.0.1:${port}`;
let queue = { p50: 0, p99: 0, dbP50: 0, dbP99: 0, samples: 0 };
try {
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/healthz`).then(() => true, () => false)) break;
    if (i > 120) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
  const email = `bench-registrar-${run}@bench.invalid`;
  const [reg] = await sql`insert into users (pseudonym, email, display_name, password_hash) values (${`bench-r-${run}`}, ${email}, 'bench registrar', ${await hashPassword('bench-pass-2026')}) returning id`;
  await sql`insert into memberships (user_id, institution_id, role) values (${reg!.id}, ${institutions[0]!.id}, 'registrar')`;
  // Registrars sign in with a second factor: the bench registrar has an authenticator whose key it knows.
  const totpSecret = 'JBSWY3DPEHPK3PXPMFRGGZDFMZTWQ2LK';
  await sql`insert into user_second_factors (user_id, sealed_secret, confirmed_at) values (${reg!.id}, ${sealTotpSecret(siteSecret, totpSecret)}, now())`;
  const first = await fetch(`${base}/login`);
  const csrf = /edu_csrf=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')![1]!;
  const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `edu_csrf=${csrf}` }, body: new URLSearchParams({ email, password: 'bench-pass-2026', csrf: decodeURIComponent(csrf) }) });
  const halfSession = /(edu_session=[^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  if (!halfSession) throw new Error(`bench registrar could not log in: ${login.status}`);
  const secondStep = await fetch(`${base}/login/second-factor`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `edu_csrf=${csrf}; ${halfSession}` }, body: new URLSearchParams({ code: await generate({ secret: totpSecret }), redirectTo: '/', csrf: decodeURIComponent(csrf) }) });
  const session = /(edu_session=[^;]+)/.exec(secondStep.headers.get('set-cookie') ?? '')?.[1] ?? halfSession;
  if (secondStep.status !== 302) throw new Error(`bench registrar's second factor refused: ${secondStep.status}`);
  const cookie = `edu_csrf=${csrf}; ${session}`;
  const statuses = ['in-review', 'posted', 'denied', ''];
  const queries = Array.from({ length: 320 }, (_, i) => {
    const source = institutions[(i * 7) % institutions.length]!.id;
    const p = new URLSearchParams({ status: statuses[i % statuses.length]!, page: String(1 + (i % 4)) });
    if (i % 2 === 0) p.set('source', source);
    if (i % 5 === 0) p.set('age', '30');
    return p;
  });
  const http: number[] = [];
  for (const [i, q] of queries.entries()) {
    const start = performance.now();
    const res = await fetch(`${base}/institutions/${TAG.institution}00/credits?${q}`, { headers: { Cookie: cookie } });
    const body = await res.text();
    if (res.status !== 200 || !body.includes('registrar-title')) throw new Error(`queue page answered ${res.status}`);
    if (i >= 20) http.push(performance.now() - start);
  }
  // The same filters straight against the database, to separate query time from rendering.
  const dbTimes: number[] = [];
  for (const q of queries.slice(20)) {
    const start = performance.now();
    await sql`select r.id from credit_requests r join completion_records c on c.id = r.completion_record_id join users u on u.id = r.user_id
      where r.institution_id = ${institutions[0]!.id} ${q.get('status') ? sql`and r.status = ${q.get('status')!}` : sql``}
      ${q.get('source') ? sql`and r.source_institution_id = ${q.get('source')!}` : sql``}
      ${q.get('age') ? sql`and r.submitted_at <= now() - interval '30 days'` : sql``}
      order by r.submitted_at, r.id limit 26 offset ${(Number(q.get('page')) - 1) * 25}`;
    dbTimes.push(performance.now() - start);
  }
  queue = { p50: percentile(http, 50), p99: percentile(http, 99), dbP50: percentile(dbTimes, 50), dbP99: percentile(dbTimes, 99), samples: http.length };
  console.log(`  registrar queue (HTTP, filtered + paginated, ${http.length} requests): p50 ${queue.p50.toFixed(1)} ms, p99 ${queue.p99.toFixed(1)} ms; its SQL alone p50 ${queue.dbP50.toFixed(1)} ms, p99 ${queue.dbP99.toFixed(1)} ms`);
} finally {
  server.kill('SIGTERM');
}

// 4. Ledger: top up to at least 100,000 entries, then verify.
const [{ n: ledgerNow }] = (await sql`select count(*)::int as n from ledger_entries`) as unknown as [{ n: number }];
for (let have = ledgerNow; have < 100_000; have += 5000) {
  await db.transaction((tx) =>
    appendLedger(tx, Array.from({ length: 5000 }, (_, i) => ({ kind: 'credit.decided' as const, payload: { requestId: `bench-${run}-${have + i}`, institutionId: institutions[i % 50]!.id, decision: 'approved', credits: '3.0', grade: '3.58', label: '3.58', conversionTable: 'bench@1', ruleId: null, decidedBy: null } }))),
  );
}
t = performance.now();
const ledger = await verifyLedger(db);
const ledgerMs = performance.now() - t;
t = performance.now();
const ledgerSmallPages = await verifyLedger(db, undefined, 100);
const ledgerSmallMs = performance.now() - t;
if (!ledger.ok || !ledgerSmallPages.ok) throw new Error(`ledger does not verify: ${JSON.stringify(ledger.problem)}`);
const entriesPerSecond = Math.round(ledger.count / (ledgerMs / 1000));
console.log(`  ledger: ${ledger.count} entries verified in ${Math.round(ledgerMs)} ms = ${entriesPerSecond} entries/s (pages of 100: ${Math.round(ledgerSmallPages.count / (ledgerSmallMs / 1000))} entries/s)`);
await sql.end();

const targets = { autoMatchMs: 5000, queueP99Ms: 150, ledgerEntriesPerSecond: 50_000 };
console.log(
  JSON.stringify({
    bench: 'credits',
    machine: { cores: cpus().length, loadAverageAtStart: Number(loadAtStart), loadAverageAtEnd: Number(loadavg()[0]!.toFixed(1)) },
    data: { institutions: counts!.institutions, rules: counts!.rules, requestsBefore: counts!.requests },
    autoMatch: { requests: pending, ms: autoMatchMs, approved: matched.matched, review: matched.review, matcherIndexedMs: Number(indexedMs.toFixed(1)), matcherNaiveMs: Number(naiveMs.toFixed(1)) },
    queue: { samples: queue.samples, p50Ms: Number(queue.p50.toFixed(1)), p99Ms: Number(queue.p99.toFixed(1)), sqlP50Ms: Number(queue.dbP50.toFixed(1)), sqlP99Ms: Number(queue.dbP99.toFixed(1)) },
    bulkApproval: { requests: bulkResult.approved.length, ms: bulkMs, oneByOneMs },
    ledger: { entries: ledger.count, ms: Math.round(ledgerMs), entriesPerSecond, pagesOf100EntriesPerSecond: Math.round(ledgerSmallPages.count / (ledgerSmallMs / 1000)) },
    targets,
    met: { autoMatch: autoMatchMs < targets.autoMatchMs, queueP99: queue.p99 < targets.queueP99Ms, ledger: entriesPerSecond >= targets.ledgerEntriesPerSecond },
  }),
);
