import { data, redirect, type AppLoadContext } from '@remix-run/node';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { courses, enrolments } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { requireUser } from '../identity/guards.server.js';
import type { CurrentUser } from '../identity/session.server.js';
import { canTeachLesson, findLesson } from '../studio/lesson-access.server.js';

export type LessonViewer = {
  user: CurrentUser;
  lesson: NonNullable<Awaited<ReturnType<typeof findLesson>>>;
  courseSlug: string;
  /** A teacher of the course (or an admin) looking at it as a student would. */
  preview: boolean;
};

/**
 * Who may open a lesson (its page, media, materials, quiz): students enrolled in its
 * published course, and the course's teachers (as a preview, published or not). Anyone
 * else signed in is sent to the course page to enrol; an unpublished course or a draft
 * lesson is a 404 to them.
 */
export async function requireLessonViewer(request: Request, _context: AppLoadContext, lessonId: string | undefined): Promise<LessonViewer> {
  const user = await requireUser(request);
  const id = z.string().uuid().safeParse(lessonId);
  const lesson = id.success ? await findLesson(id.data) : null;
  if (!lesson) throw data({ reason: 'not-found' as const }, { status: 404 });
  const { db } = getServices();
  const [course] = await db.select({ slug: courses.slug, publishedAt: courses.publishedAt }).from(courses).where(eq(courses.id, lesson.courseId));
  if (await canTeachLesson(user, lesson)) return { user, lesson, courseSlug: course!.slug, preview: true };
  if (!course?.publishedAt || lesson.draft) throw data({ reason: 'not-found' as const }, { status: 404 });
  const [enrolled] = await db
    .select({ courseId: enrolments.courseId })
    .from(enrolments)
    .where(and(eq(enrolments.userId, user.id), eq(enrolments.courseId, lesson.courseId)));
  if (!enrolled) throw redirect(`/courses/${course.slug}?enrol=required`);
  return { user, lesson, courseSlug: course.slug, preview: false };
}

/** Remembers the lesson as the student's place in the course ("continue where you left off"). */
export async function noteLessonVisit(userId: string, lesson: { id: string; courseId: string }): Promise<void> {
  await getServices()
    .db.update(enrolments)
    .set({ lastLessonId: lesson.id, lastActivityAt: new Date() })
    .where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, lesson.courseId)));
}

