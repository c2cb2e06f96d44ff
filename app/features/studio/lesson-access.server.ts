import { data, type AppLoadContext } from '@remix-run/node';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { courses, courseTeachers, lessons } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { hasPermission } from '../identity/permissions.js';
import type { CurrentUser } from '../identity/session.server.js';
import { recordAccessDenied } from '../audit/audit.server.js';
import { requireUser } from '../identity/guards.server.js';

export type LessonForTeacher = { id: string; titleZh: string; titleEn: string | null; draft: boolean; courseId: string; courseTitleZh: string; courseTitleEn: string | null; institutionId: string };

export async function findLesson(lessonId: string): Promise<LessonForTeacher | null> {
  const { db } = getServices();
  const [row] = await db
    .select({ id: lessons.id, titleZh: lessons.titleZh, titleEn: lessons.titleEn, draft: lessons.draft, courseId: courses.id, courseTitleZh: courses.titleZh, courseTitleEn: courses.titleEn, institutionId: courses.institutionId })
    .from(lessons)
    .innerJoin(courses, eq(courses.id, lessons.courseId))
    .where(eq(lessons.id, lessonId));
  return row ?? null;
}

/** Only the course's own teachers (and province admins) may change a course or a lesson of it. */
export async function canTeachLesson(user: CurrentUser, lesson: Pick<LessonForTeacher, 'courseId' | 'institutionId'>): Promise<boolean> {
  if (hasPermission(user.memberships, 'admin:institutions')) return true;
  if (!hasPermission(user.memberships, 'studio:teach', lesson.institutionId)) return false;
  const [row] = await getServices()
    .db.select({ userId: courseTeachers.userId })
    .from(courseTeachers)
    .where(and(eq(courseTeachers.courseId, lesson.courseId), eq(courseTeachers.userId, user.id)));
  return row !== undefined;
}

/** The lesson and its teacher, or 404 (no such lesson) / 403 (not its teacher, audited). */
export async function requireLessonTeacher(request: Request, context: AppLoadContext, lessonId: string | undefined) {
  const id = z.string().uuid().safeParse(lessonId);
  const lesson = id.success ? await findLesson(id.data) : null;
  if (!lesson) throw data({ reason: 'not-found' as const }, { status: 404 });
  const user = await requireUser(request);
  if (!(await canTeachLesson(user, lesson))) {
    await recordAccessDenied(getServices().db, { userId: user.id, institutionId: lesson.institutionId, ip: context.clientIp, permission: 'studio:teach', method: request.method, path: new URL(request.url).pathname });
    throw data({ reason: 'forbidden' as const }, { status: 403 });
  }
  return { user, lesson };
}

/** The courses a teacher teaches with their lessons, for the home page's teacher panel. */
export async function listTaughtLessons(userId: string) {
  const { db } = getServices();
  return db
    .select({ courseId: courses.id, courseTitleZh: courses.titleZh, courseTitleEn: courses.titleEn, lessonId: lessons.id, titleZh: lessons.titleZh, titleEn: lessons.titleEn })
    .from(courseTeachers)
    .innerJoin(courses, eq(courses.id, courseTeachers.courseId))
    .innerJoin(lessons, eq(lessons.courseId, courses.id))
    .where(eq(courseTeachers.userId, userId))
    .orderBy(courses.titleZh, lessons.position);
}
