import { and, eq, isNull } from 'drizzle-orm';
import { createDatabase, type Database, type Transaction as Tx } from '../client.js';
import { connectDatabaseOrExit } from '../connect.js';
import { hashPassword } from '../password.js';
import { newPseudonym } from '../pseudonym.js';
import { refreshCourseSearch } from '../course-search.js';
import { courseModules, coursePartners, courses, courseTeachers, enrolments, institutions, lessons, memberships, quizItems, quizzes, regions, users, userSecondFactors } from '../schema/index.js';
import { sealTotpSecret, unsealTotpSecret } from '../second-factor-seal.js';
import { parseEnvOrExit, serviceEnvSchema } from '../../workers/runtime/env.js';
import { seedDemoClassrooms } from './classrooms.js';
import { seedCreditsDemo } from './credits-demo.js';
import { demoSso, demoSsoAccounts, demoSsoIssuer, seedDemoSso } from './demo-sso.js';
import { demoCourses, demoInstitutions, demoPassword, demoRegions, demoTotpSecrets, demoUsers, type DemoCourse, type DemoQuiz } from './demo-data.js';

/** Idempotent: running it again changes nothing and never duplicates a row. */
export async function seedDemo(db: Database, { withUsers, siteSecret }: { withUsers: boolean; siteSecret?: string }) {
  await db.transaction(async (tx) => {
    const regionIds = new Map<string, string>();
    for (const r of demoRegions) {
      const parentId = r.parentCode ? regionIds.get(r.parentCode) ?? null : null;
      const [row] = await tx
        .insert(regions)
        .values({ code: r.code, parentId, level: r.level, nameZh: r.nameZh, nameEn: r.nameEn, isRural: r.isRural })
        .onConflictDoUpdate({ target: regions.code, set: { nameZh: r.nameZh, nameEn: r.nameEn, isRural: r.isRural } })
        .returning({ id: regions.id });
      regionIds.set(r.code, row!.id);
    }
    const institutionIds = new Map<string, string>();
    for (const i of demoInstitutions) {
      const [row] = await tx
        .insert(institutions)
        .values({ slug: i.slug, kind: i.kind, nameZh: i.nameZh, nameEn: i.nameEn, regionId: regionIds.get(i.regionCode)!, acceptsStudentSignup: i.acceptsStudentSignup })
        .onConflictDoUpdate({ target: institutions.slug, set: { nameZh: i.nameZh, nameEn: i.nameEn } })
        .returning({ id: institutions.id });
      institutionIds.set(i.slug, row!.id);
    }
    if (!withUsers) {
      await seedCreditsDemo(tx, false);
      return;
    }
    for (const u of demoUsers) {
      let [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, u.email));
      if (!user) {
        [user] = await tx
          .insert(users)
          // Demo addresses are not real mailboxes: they count as verified.
          .values({ email: u.email, displayName: u.displayName, pseudonym: newPseudonym(), passwordHash: await hashPassword(demoPassword), emailVerifiedAt: new Date() })
          .returning({ id: users.id });
      }
      for (const slug of [u.institutionSlug, ...(u.alsoAt ?? [])]) {
        const institutionId = institutionIds.get(slug)!;
        const existing = await tx
          .select({ id: memberships.id })
          .from(memberships)
          .where(and(eq(memberships.userId, user!.id), eq(memberships.institutionId, institutionId), eq(memberships.role, u.role)));
        // Demo people are on their institutions' rosters: verified members, as real ones would be.
        if (existing.length === 0) await tx.insert(memberships).values({ userId: user!.id, institutionId, role: u.role, verification: 'roster', verifiedAt: new Date() });
        else await tx.update(memberships).set({ verification: 'roster', verifiedAt: new Date() }).where(and(eq(memberships.id, existing[0]!.id), eq(memberships.verification, 'self-declared')));
      }
      await seedDemoSecondFactor(tx, user!.id, u.email, siteSecret);
    }
    for (const c of demoCourses) await seedCourse(tx, c, institutionIds);
    // The demo student has started the demo course, so "continue where you left off" shows.
    const [student] = await tx.select({ id: users.id }).from(users).where(eq(users.email, 'student@demo.edu.cn'));
    const [linearAlgebra] = await tx.select({ id: courses.id }).from(courses).where(eq(courses.slug, demoCourses[0]!.slug));
    await tx.insert(enrolments).values({ userId: student!.id, courseId: linearAlgebra!.id, viaInstitutionId: institutionIds.get('fzu')! }).onConflictDoNothing();
    await seedDemoClassrooms(tx);
    await seedCreditsDemo(tx, true);
    await seedDemoSso(tx, institutionIds.get(demoSso.institutionSlug)!);
  });
}


async function seedCourse(tx: Tx, c: DemoCourse, institutionIds: Map<string, string>) {
  const fields = {
    institutionId: institutionIds.get(c.institutionSlug)!,
    titleZh: c.titleZh,
    titleEn: c.titleEn,
    summaryZh: c.summaryZh,
    summaryEn: c.summaryEn,
    descriptionZh: c.descriptionZh,
    prerequisitesZh: c.prerequisitesZh ?? '',
    subject: c.subject,
    level: c.level,
    language: c.language ?? 'zh',
    credits: c.credits,
    classHours: c.classHours,
    enrolmentPolicy: c.enrolmentPolicy ?? 'open',
  };
  // Seeding again never overwrites a teacher's edits; only a course made before the
  // catalog existed (no summary, never published) is filled in and published once.
  await tx.insert(courses).values({ slug: c.slug, ...fields, publishedAt: new Date() }).onConflictDoNothing({ target: courses.slug });
  await tx
    .update(courses)
    .set({ ...fields, publishedAt: new Date() })
    .where(and(eq(courses.slug, c.slug), eq(courses.summaryZh, ''), isNull(courses.publishedAt)));
  const courseId = (await tx.select({ id: courses.id }).from(courses).where(eq(courses.slug, c.slug)))[0]!.id;
  const teacherId = c.teacherEmail ? (await tx.select({ id: users.id }).from(users).where(eq(users.email, c.teacherEmail)))[0]!.id : await teacherProfile(tx, c.teacherName!);
  await tx.insert(courseTeachers).values({ courseId, userId: teacherId }).onConflictDoNothing();
  for (const slug of c.partners ?? []) await tx.insert(coursePartners).values({ courseId, institutionId: institutionIds.get(slug)! }).onConflictDoNothing();

  const existingModules = await tx.select({ id: courseModules.id, position: courseModules.position }).from(courseModules).where(eq(courseModules.courseId, courseId));
  const existingLessons = await tx.select({ id: lessons.id, position: lessons.position }).from(lessons).where(eq(lessons.courseId, courseId));
  let position = 0;
  for (const [m, mod] of c.modules.entries()) {
    let moduleId = existingModules.find((e) => e.position === m + 1)?.id;
    if (!moduleId) [{ id: moduleId }] = await tx.insert(courseModules).values({ courseId, position: m + 1, titleZh: mod.titleZh, titleEn: mod.titleEn }).returning({ id: courseModules.id }) as [{ id: string }];
    for (const l of mod.lessons) {
      position += 1;
      let lessonId = existingLessons.find((e) => e.position === position)?.id;
      if (lessonId) {
        // Lessons made before modules existed join their module; their text is filled in once.
        await tx.update(lessons).set({ moduleId }).where(and(eq(lessons.id, lessonId), isNull(lessons.moduleId)));
        await tx.update(lessons).set({ bodyZh: l.bodyZh ?? '' }).where(and(eq(lessons.id, lessonId), eq(lessons.bodyZh, '')));
      } else {
        [{ id: lessonId }] = await tx.insert(lessons).values({ courseId, moduleId, position, titleZh: l.titleZh, titleEn: l.titleEn, bodyZh: l.bodyZh ?? '' }).returning({ id: lessons.id }) as [{ id: string }];
      }
      if (l.quiz) await seedQuiz(tx, lessonId, l.quiz);
    }
  }
  await refreshCourseSearch(tx, courseId);
}

/** A catalog-only teacher: a name on the course page, no email and no password (cannot log in). */
async function teacherProfile(tx: Tx, displayName: string): Promise<string> {
  const [found] = await tx.select({ id: users.id }).from(users).where(and(eq(users.displayName, displayName), isNull(users.email), isNull(users.erasedAt)));
  if (found) return found.id;
  const [created] = await tx.insert(users).values({ displayName, pseudonym: newPseudonym() }).returning({ id: users.id });
  return created!.id;
}

async function seedQuiz(tx: Tx, lessonId: string, quiz: DemoQuiz) {
  const [existing] = await tx.select({ id: quizzes.id }).from(quizzes).where(eq(quizzes.lessonId, lessonId));
  if (existing) return;
  const [created] = await tx.insert(quizzes).values({ lessonId, attemptsAllowed: quiz.attemptsAllowed }).returning({ id: quizzes.id });
  await tx.insert(quizItems).values(
    quiz.items.map((item, i) => {
      const options = (item.options ?? []).map((label, o) => ({ id: `o${o + 1}`, labelZh: label }));
      const idOf = (label: string) => options.find((o) => o.labelZh === label)!.id;
      const answers = item.answer;
      const answerKey =
        item.kind === 'single'
          ? { kind: 'single' as const, optionId: idOf((answers as string[])[0]!) }
          : item.kind === 'multiple'
            ? { kind: 'multiple' as const, optionIds: (answers as string[]).map(idOf) }
            : item.kind === 'numeric'
              ? { kind: 'numeric' as const, value: answers as number, tolerance: 0 }
              : { kind: 'text' as const, accepted: answers as string[] };
      return { quizId: created!.id, position: i + 1, kind: item.kind, promptZh: item.promptZh, promptEn: item.promptEn, options, answerKey, feedbackZh: item.feedbackZh };
    }),
  );
}

export function demoLoginLines(baseUrl: string): string[] {
  return [
    `Open ${baseUrl}`,
    `Demo logins (password for all: ${demoPassword}):`,
    ...demoUsers.map((u) => `  ${u.role.padEnd(17)} ${u.email}${u.alsoAt ? `   (at ${[u.institutionSlug, ...u.alsoAt].join(' and ')})` : ''}`),
    'registrar and admin also give a two-step code: `npm run demo:codes` prints the current ones,',
    `or add the key to an authenticator app: ${Object.entries(demoTotpSecrets).map(([email, key]) => `${email.split('@')[0]} ${key}`).join(', ')}`,
    `Institution sign-in (SSO): on ${baseUrl}/login choose "${demoSso.displayNameZh}",`,
    `  then at the demo IdP (${demoSsoIssuer()}) sign in as ${demoSsoAccounts[0]!.username} (a student) or ${demoSsoAccounts[1]!.username} (staff), password ${demoPassword}`,
  ];
}

/**
 * The demo registrar and administrator get a known authenticator, sealed under the site's
 * SESSION_SECRET (without it they enrol their own at first sign-in). A key sealed under an
 * earlier secret is sealed again.
 */
async function seedDemoSecondFactor(tx: Tx, userId: string, email: string, siteSecret: string | undefined) {
  const secret = demoTotpSecrets[email];
  if (!secret || !siteSecret) return;
  const [row] = await tx.select({ sealed: userSecondFactors.sealedSecret }).from(userSecondFactors).where(eq(userSecondFactors.userId, userId));
  if (row?.sealed && unsealTotpSecret(siteSecret, row.sealed) === secret) return;
  const values = { sealedSecret: sealTotpSecret(siteSecret, secret), confirmedAt: new Date(), pendingSealedSecret: null, pendingCreatedAt: null, lastUsedStep: null };
  await tx.insert(userSecondFactors).values({ userId, ...values }).onConflictDoUpdate({ target: userSecondFactors.userId, set: values });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = parseEnvOrExit(serviceEnvSchema.pick({ DATABASE_URL: true, NODE_ENV: true }));
  const withUsers = env.NODE_ENV !== 'production' || process.env.SEED_DEMO_USERS === '1';
  const { db, sql } = createDatabase(env.DATABASE_URL, { max: 1 });
  await connectDatabaseOrExit(sql, env.DATABASE_URL);
  try {
    const siteSecret = process.env.SESSION_SECRET;
    if (withUsers && !siteSecret) console.error('[edu] SESSION_SECRET is not set: the demo registrar and admin will enrol an authenticator at first sign-in');
    await seedDemo(db, { withUsers, siteSecret });
    console.error(`[edu] demo data seeded${withUsers ? ' (with demo users)' : ' (no demo users in production)'}`);
  } finally {
    await sql.end();
  }
}
