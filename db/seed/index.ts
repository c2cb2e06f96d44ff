import { and, eq } from 'drizzle-orm';
import { createDatabase, type Database } from '../client.js';
import { connectDatabaseOrExit } from '../connect.js';
import { hashPassword } from '../password.js';
import { newPseudonym } from '../pseudonym.js';
import { courses, courseTeachers, institutions, lessons, memberships, regions, users } from '../schema/index.js';
import { parseEnvOrExit, serviceEnvSchema } from '../../workers/runtime/env.js';
import { seedCreditsDemo } from './credits-demo.js';
import { demoCourses, demoInstitutions, demoPassword, demoRegions, demoUsers } from './demo-data.js';

/** Idempotent: running it again changes nothing and never duplicates a row. */
export async function seedDemo(db: Database, { withUsers }: { withUsers: boolean }) {
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
          .values({ email: u.email, displayName: u.displayName, pseudonym: newPseudonym(), passwordHash: await hashPassword(demoPassword) })
          .returning({ id: users.id });
      }
      const institutionId = institutionIds.get(u.institutionSlug)!;
      const existing = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.userId, user!.id), eq(memberships.institutionId, institutionId), eq(memberships.role, u.role)));
      if (existing.length === 0) await tx.insert(memberships).values({ userId: user!.id, institutionId, role: u.role });
    }
    for (const c of demoCourses) {
      const [course] = await tx
        .insert(courses)
        .values({ slug: c.slug, institutionId: institutionIds.get(c.institutionSlug)!, titleZh: c.titleZh, titleEn: c.titleEn })
        .onConflictDoUpdate({ target: courses.slug, set: { titleZh: c.titleZh, titleEn: c.titleEn } })
        .returning({ id: courses.id });
      const [teacher] = await tx.select({ id: users.id }).from(users).where(eq(users.email, c.teacherEmail));
      await tx.insert(courseTeachers).values({ courseId: course!.id, userId: teacher!.id }).onConflictDoNothing();
      const existingLessons = await tx.select({ position: lessons.position }).from(lessons).where(eq(lessons.courseId, course!.id));
      const have = new Set(existingLessons.map((l) => l.position));
      const missing = c.lessons.map((l, i) => ({ ...l, position: i + 1, courseId: course!.id })).filter((l) => !have.has(l.position));
      if (missing.length) await tx.insert(lessons).values(missing);
    }
    await seedCreditsDemo(tx, true);
  });
}

export function demoLoginLines(baseUrl: string): string[] {
  return [
    `Open ${baseUrl}`,
    `Demo logins (password for all: ${demoPassword}):`,
    ...demoUsers.map((u) => `  ${u.role.padEnd(10)} ${u.email}`),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = parseEnvOrExit(serviceEnvSchema.pick({ DATABASE_URL: true, NODE_ENV: true }));
  const withUsers = env.NODE_ENV !== 'production' || process.env.SEED_DEMO_USERS === '1';
  const { db, sql } = createDatabase(env.DATABASE_URL, { max: 1 });
  await connectDatabaseOrExit(sql, env.DATABASE_URL);
  try {
    await seedDemo(db, { withUsers });
    console.error(`[edu] demo data seeded${withUsers ? ' (with demo users)' : ' (no demo users in production)'}`);
  } finally {
    await sql.end();
  }
}
