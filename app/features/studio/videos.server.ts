import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { courses, institutions, lessons, videos } from '../../../db/schema/index.js';
import { enqueue, filesCheckIdParts } from '../../../workers/queues.js';
import { createVideoFromUpload as createVideoFromUploadIn, type UploadedVideo } from '../../../workers/video-intake.js';
import { getServices } from '../../services.server.js';
import { getQueues } from '../queues.server.js';

/** A finished tus upload becomes the lesson's video in the works (workers/video-intake.ts). */
export async function createVideoFromUpload(input: UploadedVideo) {
  return createVideoFromUploadIn(getServices().db, getQueues(), input);
}

export async function listLessonVideos(lessonId: string) {
  const { db } = getServices();
  return db
    .select({
      id: videos.id,
      status: videos.status,
      progressPercent: videos.progressPercent,
      failures: videos.failures,
      originalFilename: videos.originalFilename,
      sourceBytes: videos.sourceBytes,
      durationSeconds: videos.durationSeconds,
      renditions: videos.renditions,
      captions: videos.captions,
      createdAt: videos.createdAt,
      readyAt: videos.readyAt,
      filesMissingSince: videos.filesMissingSince,
      filesMissingCount: videos.filesMissingCount,
      // While processing, set only once the first part of every rung is published early (markPlayable).
      published: isNotNull(videos.storagePrefix),
    })
    .from(videos)
    .where(eq(videos.lessonId, lessonId))
    .orderBy(desc(videos.createdAt))
    .limit(10);
}

/** Stops a video in the works: the worker sees the status and kills ffmpeg; queued jobs find it cancelled. */
export async function cancelVideo(lessonId: string, videoId: string): Promise<boolean> {
  const { db } = getServices();
  const rows = await db
    .update(videos)
    .set({ status: 'cancelled', updatedAt: new Date() })
    .where(and(eq(videos.id, videoId), eq(videos.lessonId, lessonId), inArray(videos.status, ['queued', 'probing', 'processing', 'ready'])))
    .returning({ id: videos.id });
  if (rows.length > 0) await enqueue(getQueues(), 'remove-video-files', { videoId }, videoId);
  return rows.length > 0;
}

/**
 * Asks the worker to check that a ready video's files (or every ready video's) are all in
 * storage: at most once per `windowMs`, however often it is asked (filesCheckIdParts).
 */
export async function requestFilesCheck(videoId: string | 'all', windowMs?: number): Promise<void> {
  await enqueue(getQueues(), 'check-video-files', videoId === 'all' ? {} : { videoId }, ...filesCheckIdParts(videoId, Date.now(), windowMs));
}

/** Ready videos whose files the storage check found missing, longest first (the admins' list). */
export async function listVideosMissingFiles(limit = 200) {
  const { db } = getServices();
  return db
    .select({
      videoId: videos.id,
      since: videos.filesMissingSince,
      count: videos.filesMissingCount,
      lessonId: lessons.id,
      lessonTitleZh: lessons.titleZh,
      lessonTitleEn: lessons.titleEn,
      courseTitleZh: courses.titleZh,
      courseTitleEn: courses.titleEn,
      institutionZh: institutions.nameZh,
      institutionEn: institutions.nameEn,
    })
    .from(videos)
    .innerJoin(lessons, eq(lessons.id, videos.lessonId))
    .innerJoin(courses, eq(courses.id, lessons.courseId))
    .innerJoin(institutions, eq(institutions.id, courses.institutionId))
    .where(and(eq(videos.status, 'ready'), isNotNull(videos.filesMissingSince)))
    .orderBy(asc(videos.filesMissingSince))
    .limit(limit);
}
