import { randomBytes } from 'node:crypto';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { refreshCourseSearch } from '../../../db/course-search.js';
import { courseModules, coursePartners, courses, courseTeachers, institutions, lessons, type Course } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import type { CurrentUser } from '../identity/session.server.js';
import type { CourseMetadata } from './course-schemas.js';

/** The courses a teacher teaches, newest first, with their lesson counts and state. */
export async function listTaughtCourses(userId: string) {
  const { db } = getServices();
  return db
    .select({
      id: courses.id,
      slug: courses.slug,
      titleZh: courses.titleZh,
      titleEn: courses.titleEn,
      publishedAt: courses.publishedAt,
      updatedAt: courses.updatedAt,
      institutionZh: institutions.nameZh,
      institutionEn: institutions.nameEn,
      lessonCount: sql<number>`(select count(*)::int from ${lessons} where ${lessons.courseId} = ${courses.id})`,
    })
    .from(courseTeachers)
    .innerJoin(courses, eq(courses.id, courseTeachers.courseId))
    .innerJoin(institutions, eq(institutions.id, courses.institutionId))
    .where(eq(courseTeachers.userId, userId))
    .orderBy(sql`${courses.createdAt} desc`);
}

/** Institutions where this user may create courses (where they hold the teacher role). */
export async function teachingInstitutions(user: CurrentUser) {
  const ids = user.memberships.filter((m) => m.role === 'teacher').map((m) => m.institutionId);
  if (ids.length === 0) return [];
  return getServices().db.select({ id: institutions.id, nameZh: institutions.nameZh, nameEn: institutions.nameEn, slug: institutions.slug }).from(institutions).where(inArray(institutions.id, ids)).orderBy(institutions.nameZh);
}

function courseSlug(institutionSlug: string, titleEn: string | undefined): string {
  const words = (titleEn ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return [institutionSlug, words || 'course', randomBytes(3).toString('hex')].join('-');
}

/** A new, unpublished course at one of the teacher's institutions, with them as its teacher. */
export async function createCourse(userId: string, institution: { id: string; slug: string }, titles: { titleZh: string; titleEn?: string | undefined }): Promise<string> {
  return getServices().db.transaction(async (tx) => {
    const [created] = await tx
      .insert(courses)
      .values({ institutionId: institution.id, slug: courseSlug(institution.slug, titles.titleEn), titleZh: titles.titleZh, titleEn: titles.titleEn ?? null })
      .returning({ id: courses.id });
    await tx.insert(courseTeachers).values({ courseId: created!.id, userId });
    await refreshCourseSearch(tx, created!.id);
    return created!.id;
  });
}

/** Everything the course editor shows: modules with their lessons, partners, all institutions. */
export async function loadCourseOutline(courseId: string) {
  const { db } = getServices();
  const [modules, lessonRows, partners, allInstitutions] = await Promise.all([
    db.select().from(courseModules).where(eq(courseModules.courseId, courseId)).orderBy(asc(courseModules.position)),
    db
      .select({ id: lessons.id, moduleId: lessons.moduleId, position: lessons.position, titleZh: lessons.titleZh, titleEn: lessons.titleEn, draft: lessons.draft })
      .from(lessons)
      .where(eq(lessons.courseId, courseId))
      .orderBy(asc(lessons.position)),
    db.select({ institutionId: coursePartners.institutionId }).from(coursePartners).where(eq(coursePartners.courseId, courseId)),
    db.select({ id: institutions.id, nameZh: institutions.nameZh, nameEn: institutions.nameEn }).from(institutions).orderBy(institutions.nameZh),
  ]);
  const known = new Set(modules.map((m) => m.id));
  return {
    modules: modules.map((m) => ({ id: m.id, titleZh: m.titleZh, titleEn: m.titleEn, lessons: lessonRows.filter((l) => l.moduleId === m.id) })),
    looseLessons: lessonRows.filter((l) => !l.moduleId || !known.has(l.moduleId)),
    partnerIds: partners.map((p) => p.institutionId),
    institutions: allInstitutions,
  };
}

/** Saves the catalog fields and the partner list in one transaction, then the search tokens. */
export async function updateCourseMetadata(course: Course, m: CourseMetadata): Promise<void> {
  await getServices().db.transaction(async (tx) => {
    await tx
      .update(courses)
      .set({
        titleZh: m.titleZh,
        titleEn: m.titleEn ?? null,
        summaryZh: m.summaryZh ?? '',
        summaryEn: m.summaryEn ?? null,
        descriptionZh: m.descriptionZh ?? '',
        descriptionEn: m.descriptionEn ?? null,
        prerequisitesZh: m.prerequisitesZh ?? '',
        prerequisitesEn: m.prerequisitesEn ?? null,
        subject: m.subject,
        level: m.level,
        language: m.language,
        credits: m.credits,
        classHours: m.classHours,
        enrolmentPolicy: m.enrolmentPolicy,
        passGrade: m.passGrade,
        attemptScoring: m.attemptScoring,
        updatedAt: new Date(),
      })
      .where(eq(courses.id, course.id));
    await tx.delete(coursePartners).where(eq(coursePartners.courseId, course.id));
    const partners = m.enrolmentPolicy === 'partners' ? [...new Set(m.partners)].filter((id) => id !== course.institutionId) : [];
    if (partners.length > 0) {
      const existing = await tx.select({ id: institutions.id }).from(institutions).where(inArray(institutions.id, partners));
      if (existing.length > 0) await tx.insert(coursePartners).values(existing.map((i) => ({ courseId: course.id, institutionId: i.id })));
    }
    await refreshCourseSearch(tx, course.id);
  });
}

/** Publishing needs at least one lesson students can see; unpublishing hides the course from the catalog. */
export async function setCoursePublished(courseId: string, publish: boolean): Promise<'ok' | 'no-lessons'> {
  const { db } = getServices();
  if (!publish) {
    await db.update(courses).set({ publishedAt: null, updatedAt: new Date() }).where(eq(courses.id, courseId));
    return 'ok';
  }
  const [row] = await db.select({ n: count() }).from(lessons).where(and(eq(lessons.courseId, courseId), eq(lessons.draft, false)));
  if (!row || row.n === 0) return 'no-lessons';
  await db
    .update(courses)
    .set({ publishedAt: sql`coalesce(${courses.publishedAt}, now())`, updatedAt: new Date() })
    .where(and(eq(courses.id, courseId)));
  return 'ok';
}

