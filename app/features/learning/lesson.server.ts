import { and, asc, desc, eq, isNotNull, or, sql } from 'drizzle-orm';
import { courseModules, courses, lessons, videos } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';

/**
 * Students may watch a ready video, or one still encoding whose first rungs the worker
 * has already published (early playback: it sets storage_prefix while processing).
 */
export const isWatchableVideo = or(eq(videos.status, 'ready'), and(eq(videos.status, 'processing'), isNotNull(videos.storagePrefix)));

/** A lesson with its published video, if it has one (a ready one before one still encoding). */
export async function findLessonWithVideo(lessonId: string) {
  const { db } = getServices();
  const [row] = await db
    .select({
      id: lessons.id,
      titleZh: lessons.titleZh,
      titleEn: lessons.titleEn,
      courseTitleZh: courses.titleZh,
      courseTitleEn: courses.titleEn,
      videoId: videos.id,
      renditions: videos.renditions,
      captions: videos.captions,
      durationSeconds: videos.durationSeconds,
    })
    .from(lessons)
    .innerJoin(courses, eq(courses.id, lessons.courseId))
    .leftJoin(videos, and(eq(videos.lessonId, lessons.id), isWatchableVideo))
    .where(eq(lessons.id, lessonId))
    .orderBy(desc(sql`${videos.status} = 'ready'`))
    .limit(1);
  return row ?? null;
}

/** The lesson's text and its neighbours in the course order (drafts skipped), for the lesson page. */
export async function lessonPageExtras(lessonId: string, courseId: string) {
  const { db } = getServices();
  const [lesson] = await db.select({ bodyZh: lessons.bodyZh, bodyEn: lessons.bodyEn }).from(lessons).where(eq(lessons.id, lessonId));
  const ordered = await db
    .select({ id: lessons.id, titleZh: lessons.titleZh, titleEn: lessons.titleEn })
    .from(lessons)
    .leftJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    // The lesson itself is kept even if it is a draft, for a teacher's preview of it.
    .where(and(eq(lessons.courseId, courseId), or(eq(lessons.draft, false), eq(lessons.id, lessonId))))
    .orderBy(sql`${courseModules.position} asc nulls last`, asc(lessons.position));
  const index = ordered.findIndex((l) => l.id === lessonId);
  return { bodyZh: lesson?.bodyZh ?? '', bodyEn: lesson?.bodyEn ?? null, prev: ordered[index - 1] ?? null, next: ordered[index + 1] ?? null };
}
