import { and, desc, eq, isNotNull, or, sql } from 'drizzle-orm';
import { courses, lessons, videos } from '../../../db/schema/index.js';
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
