import { data, type AppLoadContext } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { classrooms, courses, lessons, liveClasses, liveClassReceivers, liveSessions, type LiveSession } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAccessDenied } from '../audit/audit.server.js';
import { requireUser } from '../identity/guards.server.js';
import { hasPermission } from '../identity/permissions.js';
import type { CurrentUser } from '../identity/session.server.js';

export type SessionClassroom = { id: string; nameZh: string; nameEn: string | null; institutionId: string };

export type SessionForUser = {
  session: LiveSession;
  teacherId: string;
  courseTitleZh: string;
  courseTitleEn: string | null;
  lessonTitleZh: string;
  lessonTitleEn: string | null;
  institutionId: string;
  lead: SessionClassroom;
  receivers: SessionClassroom[];
};

/** A session with its class, lesson and classrooms; null if there is none. */
export async function findSession(sessionId: string): Promise<SessionForUser | null> {
  const { db } = getServices();
  const [row] = await db
    .select({ session: liveSessions, teacherId: liveClasses.teacherId, leadClassroomId: liveClasses.leadClassroomId, courseTitleZh: courses.titleZh, courseTitleEn: courses.titleEn, institutionId: courses.institutionId, lessonTitleZh: lessons.titleZh, lessonTitleEn: lessons.titleEn })
    .from(liveSessions)
    .innerJoin(liveClasses, eq(liveClasses.id, liveSessions.liveClassId))
    .innerJoin(courses, eq(courses.id, liveClasses.courseId))
    .innerJoin(lessons, eq(lessons.id, liveSessions.lessonId))
    .where(eq(liveSessions.id, sessionId));
  if (!row) return null;
  const rooms = { id: classrooms.id, nameZh: classrooms.nameZh, nameEn: classrooms.nameEn, institutionId: classrooms.institutionId };
  const receivers = await db
    .select(rooms)
    .from(liveClassReceivers)
    .innerJoin(classrooms, eq(classrooms.id, liveClassReceivers.classroomId))
    .where(eq(liveClassReceivers.liveClassId, row.session.liveClassId))
    .orderBy(classrooms.nameZh);
  const [lead] = await db.select(rooms).from(classrooms).where(eq(classrooms.id, row.leadClassroomId));
  const { leadClassroomId: _lead, ...rest } = row;
  return { ...rest, lead: lead!, receivers };
}

/** The receiving classrooms of this session that `user` runs as an assistant of their school. */
export function assistedClassrooms(user: CurrentUser, s: SessionForUser): SessionClassroom[] {
  return s.receivers.filter((c) => user.memberships.some((m) => m.role === 'assistant' && m.institutionId === c.institutionId));
}

export type SessionRole = { kind: 'teacher' } | { kind: 'assistant'; classrooms: SessionClassroom[] };

export function sessionRole(user: CurrentUser, s: SessionForUser): SessionRole | null {
  if (s.teacherId === user.id) return { kind: 'teacher' };
  const mine = assistedClassrooms(user, s);
  return mine.length ? { kind: 'assistant', classrooms: mine } : null;
}

async function loadOr404(sessionId: string | undefined): Promise<SessionForUser> {
  const id = z.string().uuid().safeParse(sessionId);
  const found = id.success ? await findSession(id.data) : null;
  if (!found) throw data({ reason: 'not-found' as const }, { status: 404 });
  return found;
}

async function refuse(request: Request, context: AppLoadContext, user: CurrentUser, s: SessionForUser, permission: string): Promise<never> {
  await recordAccessDenied(getServices().db, { userId: user.id, permission, method: request.method, path: new URL(request.url).pathname, institutionId: s.institutionId, ip: context.clientIp, details: { sessionId: s.session.id } });
  throw data({ reason: 'forbidden' as const }, { status: 403 });
}

/** Only the session's teacher controls it; anyone else is refused (audited). */
export async function requireSessionTeacher(request: Request, context: AppLoadContext, sessionId: string | undefined) {
  const s = await loadOr404(sessionId);
  const user = await requireUser(request);
  if (s.teacherId !== user.id) return refuse(request, context, user, s, 'classroom:teach');
  return { user, s };
}

/** The teacher, or an assistant of one of the session's scheduled receiving classrooms. */
export async function requireSessionMember(request: Request, context: AppLoadContext, sessionId: string | undefined) {
  const s = await loadOr404(sessionId);
  const user = await requireUser(request);
  const role = sessionRole(user, s);
  if (!role) return refuse(request, context, user, s, 'classroom:join');
  return { user, s, role };
}

/** An assistant acting for one scheduled classroom (the `classroom` they name, or their only one). */
export async function requireSessionAssistant(request: Request, context: AppLoadContext, sessionId: string | undefined, classroomId?: string | null) {
  const s = await loadOr404(sessionId);
  const user = await requireUser(request);
  const mine = assistedClassrooms(user, s);
  const classroom = classroomId ? mine.find((c) => c.id === classroomId) : mine.length === 1 ? mine[0] : undefined;
  if (!classroom) {
    if (mine.length > 1 && !classroomId) throw data({ reason: 'choose-classroom' as const, classrooms: mine }, { status: 400 });
    return refuse(request, context, user, s, 'classroom:assist');
  }
  return { user, s, classroom };
}

/** Who may read a session's report: its teacher, the scheduled schools' assistants, province admins. */
export async function requireSessionReportReader(request: Request, context: AppLoadContext, sessionId: string | undefined) {
  const s = await loadOr404(sessionId);
  const user = await requireUser(request);
  if (sessionRole(user, s) || hasPermission(user.memberships, 'admin:institutions')) return { user, s };
  return refuse(request, context, user, s, 'classroom:report');
}
