import { and, eq, sql } from 'drizzle-orm';
import { refreshCourseSearch } from '../../../db/course-search.js';
import { lessons } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';

export type LessonText = { version: number; bodyZh: string; bodyEn: string | null; updatedAt: Date };
export type SaveTextOutcome = { kind: 'saved'; version: number } | { kind: 'stale'; current: LessonText } | { kind: 'not-found' };

export async function getLessonText(lessonId: string): Promise<LessonText | null> {
  const [row] = await getServices()
    .db.select({ version: lessons.version, bodyZh: lessons.bodyZh, bodyEn: lessons.bodyEn, updatedAt: lessons.updatedAt })
    .from(lessons)
    .where(eq(lessons.id, lessonId));
  return row ?? null;
}

/**
 * Optimistic concurrency: the save applies only if the lesson is still at the version the
 * editor loaded (one conditional UPDATE, so two saves cannot both win). A stale save
 * changes nothing and gets back the text that is stored now.
 */
export async function saveLessonText(lesson: { id: string; courseId: string }, expectedVersion: number, text: { bodyZh: string; bodyEn?: string | undefined }): Promise<SaveTextOutcome> {
  const { db } = getServices();
  const saved = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(lessons)
      .set({ bodyZh: text.bodyZh, bodyEn: text.bodyEn?.trim() ? text.bodyEn : null, version: sql`${lessons.version} + 1`, updatedAt: new Date() })
      .where(and(eq(lessons.id, lesson.id), eq(lessons.version, expectedVersion)))
      .returning({ version: lessons.version });
    if (row) await refreshCourseSearch(tx, lesson.courseId);
    return row;
  });
  if (saved) return { kind: 'saved', version: saved.version };
  const current = await getLessonText(lesson.id);
  return current ? { kind: 'stale', current } : { kind: 'not-found' };
}
