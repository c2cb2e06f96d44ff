import { data, type AppLoadContext } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { courses, type Course } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAccessDenied } from '../audit/audit.server.js';
import { requireUser } from '../identity/guards.server.js';
import { canTeachLesson } from './lesson-access.server.js';

/** The course and its teacher, or 404 (no such course) / 403 (not its teacher, audited). */
export async function requireCourseTeacher(request: Request, context: AppLoadContext, courseId: string | undefined) {
  const id = z.string().uuid().safeParse(courseId);
  const [course]: (Course | undefined)[] = id.success ? await getServices().db.select().from(courses).where(eq(courses.id, id.data)) : [];
  if (!course) throw data({ reason: 'not-found' as const }, { status: 404 });
  const user = await requireUser(request);
  if (!(await canTeachLesson(user, { courseId: course.id, institutionId: course.institutionId }))) {
    await recordAccessDenied(getServices().db, { userId: user.id, institutionId: course.institutionId, ip: context.clientIp, permission: 'studio:teach', method: request.method, path: new URL(request.url).pathname });
    throw data({ reason: 'forbidden' as const }, { status: 403 });
  }
  return { user, course };
}
