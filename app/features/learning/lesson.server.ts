import { and, eq } from 'drizzle-orm';
import { courses, lessons, videos } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';

/** A lesson with its published video, if it has one. */
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
    .leftJoin(videos, and(eq(videos.lessonId, lessons.id), eq(videos.status, 'ready')))
    .where(eq(lessons.id, lessonId));
  return row ?? null;
}
