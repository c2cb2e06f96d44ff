import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { courses, courseTeachers, institutions, lessons, users } from './schema/index.js';
import { documentTokens } from './search-tokens.js';

type Executor = Pick<Database, 'select' | 'update'>;

/**
 * Recomputes a course's search tokens from its titles, texts, institution, teachers,
 * lesson titles and caption text. Called on every save that changes any of them.
 */
export async function refreshCourseSearch(db: Executor, courseId: string): Promise<void> {
  const [course] = await db
    .select({
      titleZh: courses.titleZh,
      titleEn: courses.titleEn,
      summaryZh: courses.summaryZh,
      summaryEn: courses.summaryEn,
      descriptionZh: courses.descriptionZh,
      descriptionEn: courses.descriptionEn,
      institutionZh: institutions.nameZh,
      institutionEn: institutions.nameEn,
    })
    .from(courses)
    .innerJoin(institutions, eq(institutions.id, courses.institutionId))
    .where(eq(courses.id, courseId));
  if (!course) return;
  const lessonTexts = await db
    .select({ titleZh: lessons.titleZh, titleEn: lessons.titleEn, captionText: lessons.captionText })
    .from(lessons)
    .where(and(eq(lessons.courseId, courseId), eq(lessons.draft, false)));
  const teachers = await db
    .select({ name: users.displayName })
    .from(courseTeachers)
    .innerJoin(users, eq(users.id, courseTeachers.userId))
    .where(eq(courseTeachers.courseId, courseId));
  const titleTokens = documentTokens(course.titleZh, course.titleEn);
  const searchTokens = documentTokens(
    course.titleZh,
    course.titleEn,
    course.summaryZh,
    course.summaryEn,
    course.descriptionZh,
    course.descriptionEn,
    course.institutionZh,
    course.institutionEn,
    ...teachers.map((t) => t.name),
    ...lessonTexts.flatMap((l) => [l.titleZh, l.titleEn, l.captionText]),
  );
  await db.update(courses).set({ titleTokens, searchTokens, updatedAt: sql`now()` }).where(eq(courses.id, courseId));
}
