// A realistic provincial catalog for bench:pages, written in bulk into the benchmark's own
// database beside the demo data: institutions across Fujian's cities, teachers, thousands
// of courses with modules, lessons and caption text, and search tokens computed by the
// same refreshCourseSearch every studio save uses.
import { eq, like, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { refreshCourseSearch } from '../db/course-search.js';
import { newPseudonym } from '../db/pseudonym.js';
import {
  courseLanguages,
  courseLevels,
  courseModules,
  courses,
  courseSubjects,
  courseTeachers,
  institutions,
  lessons,
  memberships,
  regions,
  users,
} from '../db/schema/index.js';
import { cities, givenNames, institutionKinds, sentencePatterns, subjectVocabulary, surnames, titleSuffixes } from './catalog-vocabulary.js';

export const BENCH_PREFIX = 'bench-';

export type CatalogSize = { institutions: number; courses: number; teachersPerInstitution: number };

/** mulberry32: the same catalog on every run, so runs compare. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

function sentence(rnd: ReturnType<typeof random>, keywords: string[]): string {
  return rnd.pick(sentencePatterns).replace('{a}', rnd.pick(keywords)).replace('{b}', rnd.pick(keywords));
}

async function inBatches<T>(rows: T[], size: number, insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

async function forEachConcurrently<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let index = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (index < items.length) await work(items[index++]!);
  }));
}

/** Seeds the catalog unless one of this size is already there; returns how long it took. */
export async function seedBenchCatalog(db: Database, size: CatalogSize, log: (line: string) => void): Promise<{ seeded: boolean; seconds: number }> {
  const started = performance.now();
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(courses).where(like(courses.slug, `${BENCH_PREFIX}%`));
  if (existing!.n === size.courses) return { seeded: false, seconds: 0 };
  await removeBenchCatalog(db);
  const rnd = random(20261125);

  const [province] = await db.select({ id: regions.id }).from(regions).where(eq(regions.code, '350000'));
  if (!province) throw new Error('Seed the demo data first (npx tsx db/seed/index.ts): the bench catalog sits beside it');
  await db.insert(regions).values(cities.map((c) => ({ code: c.code, parentId: province.id, level: 'city' as const, nameZh: c.nameZh, nameEn: c.nameEn }))).onConflictDoNothing();
  const cityRows = await db.select({ id: regions.id, code: regions.code }).from(regions).where(sql`${regions.code} in ${cities.map((c) => c.code)}`);
  const cityId = new Map(cityRows.map((r) => [r.code, r.id]));

  const institutionRows = Array.from({ length: size.institutions }, (_, i) => {
    const city = cities[i % cities.length]!;
    const kind = institutionKinds[Math.floor(i / cities.length) % institutionKinds.length]!;
    const round = Math.floor(i / (cities.length * institutionKinds.length));
    return {
      slug: `${BENCH_PREFIX}${i + 1}`,
      kind: kind.kind,
      nameZh: `${city.short}${round ? ['第二', '第三', '第四'][round - 1] ?? round : ''}${kind.zh}`,
      nameEn: `${city.nameEn} ${round ? `${round + 1} ` : ''}${kind.en}`,
      regionId: cityId.get(city.code)!,
    };
  });
  const insts = await db.insert(institutions).values(institutionRows).returning({ id: institutions.id });

  const teacherRows = insts.flatMap((inst) => Array.from({ length: size.teachersPerInstitution }, () => ({
    institutionId: inst.id,
    user: { pseudonym: newPseudonym(), displayName: `${rnd.pick(surnames)}${rnd.pick(givenNames)}`, email: null, passwordHash: null },
  })));
  const teacherIds: string[] = [];
  await inBatches(teacherRows, 1000, async (batch) => {
    const made = await db.insert(users).values(batch.map((t) => t.user)).returning({ id: users.id });
    await db.insert(memberships).values(made.map((u, i) => ({ userId: u.id, institutionId: batch[i]!.institutionId, role: 'teacher' as const })));
    teacherIds.push(...made.map((u) => u.id));
  });
  log(`  ${insts.length} institutions, ${teacherIds.length} teachers`);

  type Plan = { course: typeof courses.$inferInsert; keywords: string[]; teachers: string[] };
  const plans: Plan[] = Array.from({ length: size.courses }, (_, n) => {
    const instIndex = rnd.int(insts.length);
    const subject = rnd.pick(courseSubjects);
    const vocab = subjectVocabulary[subject];
    const topic = rnd.pick(vocab.topics);
    const title = `${topic}${rnd.pick(titleSuffixes)}`;
    const teacherBase = instIndex * size.teachersPerInstitution;
    const teachers = [...new Set([0, ...(rnd.next() < 0.3 ? [1] : [])].map(() => teacherIds[teacherBase + rnd.int(size.teachersPerInstitution)]!))];
    const hours = rnd.pick([16, 24, 32, 48, 64]);
    return {
      keywords: vocab.keywords,
      teachers,
      course: {
        slug: `${BENCH_PREFIX}${instIndex + 1}-${n + 1}`,
        institutionId: insts[instIndex]!.id,
        titleZh: title,
        titleEn: null,
        summaryZh: `${topic}：${rnd.pick(vocab.keywords)}、${rnd.pick(vocab.keywords)}与${rnd.pick(vocab.keywords)}。`,
        descriptionZh: Array.from({ length: 3 + rnd.int(3) }, () => sentence(rnd, vocab.keywords)).join(''),
        prerequisitesZh: rnd.next() < 0.5 ? '无' : `${rnd.pick(vocab.topics)}`,
        subject,
        level: rnd.next() < 0.55 ? 'ordinary' : rnd.pick(courseLevels),
        language: rnd.next() < 0.9 ? 'zh' : rnd.pick(courseLanguages),
        credits: rnd.next() < 0.2 ? '0' : (hours / 16).toFixed(1),
        classHours: hours,
        // About 3% of courses are drafts: the catalog must never show them.
        publishedAt: rnd.next() < 0.97 ? new Date(Date.UTC(2025, 0, 1) + rnd.int(600) * 86_400_000) : null,
      },
    };
  });
  const courseIds: string[] = [];
  await inBatches(plans, 1000, async (batch) => {
    const made = await db.insert(courses).values(batch.map((p) => p.course)).returning({ id: courses.id });
    courseIds.push(...made.map((c) => c.id));
    await db.insert(courseTeachers).values(made.flatMap((c, i) => batch[i]!.teachers.map((userId) => ({ courseId: c.id, userId }))));
  });

  const moduleRows: (typeof courseModules.$inferInsert)[] = [];
  const lessonRows: (typeof lessons.$inferInsert & { moduleIndex: number })[] = [];
  plans.forEach((plan, i) => {
    const moduleCount = 2 + rnd.int(2);
    const lessonCount = 6 + rnd.int(7);
    for (let m = 0; m < moduleCount; m++) moduleRows.push({ courseId: courseIds[i]!, position: m + 1, titleZh: `第${m + 1}单元：${rnd.pick(plan.keywords)}` });
    for (let l = 0; l < lessonCount; l++) {
      const keyword = rnd.pick(plan.keywords);
      lessonRows.push({
        courseId: courseIds[i]!,
        moduleIndex: moduleRows.length - moduleCount + Math.floor((l * moduleCount) / lessonCount),
        position: l + 1,
        titleZh: `第${l + 1}讲：${keyword}`,
        bodyZh: `${sentence(rnd, plan.keywords)}${sentence(rnd, plan.keywords)}`,
        // What a lecture's captions would add to search: a few sentences of speech.
        captionText: Array.from({ length: 6 }, () => sentence(rnd, plan.keywords)).join(''),
      });
    }
  });
  const moduleIds: string[] = [];
  await inBatches(moduleRows, 2000, async (batch) => moduleIds.push(...(await db.insert(courseModules).values(batch).returning({ id: courseModules.id })).map((m) => m.id)));
  await inBatches(lessonRows, 2000, (batch) => db.insert(lessons).values(batch.map(({ moduleIndex, ...l }) => ({ ...l, moduleId: moduleIds[moduleIndex]! }))));
  log(`  ${courseIds.length} courses, ${moduleRows.length} modules, ${lessonRows.length} lessons inserted; computing search tokens...`);

  await forEachConcurrently(courseIds, 6, (id) => refreshCourseSearch(db, id));
  // As autovacuum would soon: statistics, and the GIN index's pending list merged.
  for (const table of ['courses', 'lessons', 'course_modules', 'course_teachers', 'institutions', 'users', 'memberships']) await db.execute(sql.raw(`vacuum analyze ${table}`));
  return { seeded: true, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

export async function removeBenchCatalog(db: Database) {
  await db.delete(courses).where(like(courses.slug, `${BENCH_PREFIX}%`));
  const benchInstitutions = db.select({ id: institutions.id }).from(institutions).where(like(institutions.slug, `${BENCH_PREFIX}%`));
  const teachers = await db.delete(memberships).where(sql`${memberships.institutionId} in ${benchInstitutions}`).returning({ userId: memberships.userId });
  if (teachers.length) await db.delete(users).where(sql`${users.id} in ${teachers.map((t) => t.userId)}`);
  await db.delete(institutions).where(like(institutions.slug, `${BENCH_PREFIX}%`));
}
