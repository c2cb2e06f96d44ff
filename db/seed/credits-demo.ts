import { and, eq } from 'drizzle-orm';
import type { Transaction as Tx } from '../client.js';
import { completionRecords, courses, equivalencyRules, equivalencyRuleSources, institutions, users } from '../schema/index.js';


/** A credit-bearing course at Minjiang University and published rules at the other universities. */
export const demoCreditCourse = { slug: 'mju-data-structures', institutionSlug: 'mju', titleZh: '数据结构', titleEn: 'Data Structures', credits: '3.0', classHours: 48 };

export const demoRules = [
  { institutionSlug: 'fjnu', targetKind: 'course' as const, targetCode: 'CS201', targetTitleZh: '数据结构', targetTitleEn: 'Data Structures', credits: '3.0', minGrade: '60', autoApprove: true, publicNote: '成绩 60 分以上自动认定为本校 CS201。' },
  { institutionSlug: 'fzu', targetKind: 'elective' as const, targetCode: '', targetTitleZh: '', targetTitleEn: '', credits: '2.0', minGrade: '70', autoApprove: false, publicNote: '认定为专业选修学分，由教务审核。' },
];

/** Idempotent, inside the demo seed's transaction; the demo student gets one completion record to request with. */
export async function seedCreditsDemo(tx: Tx, withUsers: boolean) {
  const [mju] = await tx.select().from(institutions).where(eq(institutions.slug, demoCreditCourse.institutionSlug));
  const [course] = await tx
    .insert(courses)
    .values({ slug: demoCreditCourse.slug, institutionId: mju!.id, titleZh: demoCreditCourse.titleZh, titleEn: demoCreditCourse.titleEn, credits: demoCreditCourse.credits, classHours: demoCreditCourse.classHours, publishedAt: new Date() })
    .onConflictDoUpdate({ target: courses.slug, set: { titleZh: demoCreditCourse.titleZh, titleEn: demoCreditCourse.titleEn } })
    .returning({ id: courses.id });
  for (const r of demoRules) {
    const [home] = await tx.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, r.institutionSlug));
    const existing = await tx
      .select({ id: equivalencyRules.id })
      .from(equivalencyRules)
      .innerJoin(equivalencyRuleSources, eq(equivalencyRuleSources.ruleId, equivalencyRules.id))
      .where(and(eq(equivalencyRules.institutionId, home!.id), eq(equivalencyRuleSources.courseId, course!.id)));
    if (existing.length) continue;
    const { institutionSlug: _slug, ...values } = r;
    const [rule] = await tx.insert(equivalencyRules).values({ ...values, institutionId: home!.id, effectiveFrom: '2025-09-01' }).returning({ id: equivalencyRules.id });
    await tx.insert(equivalencyRuleSources).values({ ruleId: rule!.id, alternative: 1, courseId: course!.id });
  }
  if (!withUsers) return;
  const [student] = await tx.select({ id: users.id }).from(users).where(eq(users.email, 'student@demo.edu.cn'));
  if (!student) return;
  await tx
    .insert(completionRecords)
    .values({
      userId: student.id,
      courseId: course!.id,
      institutionId: mju!.id,
      courseSlug: demoCreditCourse.slug,
      courseTitleZh: demoCreditCourse.titleZh,
      courseTitleEn: demoCreditCourse.titleEn,
      institutionNameZh: mju!.nameZh,
      institutionNameEn: mju!.nameEn,
      credits: demoCreditCourse.credits,
      classHours: demoCreditCourse.classHours,
      finalGrade: '86.50',
      completedOn: '2026-01-16',
    })
    .onConflictDoNothing();
}
