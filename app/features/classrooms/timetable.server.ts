import { and, asc, eq, gt, inArray, ne } from 'drizzle-orm';
import { classrooms, courses, courseTeachers, institutions, lessons, liveClasses, liveClassReceivers, liveSessions, memberships } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import type { CurrentUser } from '../identity/session.server.js';

export type UpcomingSession = {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  weekly: boolean;
  courseTitleZh: string;
  courseTitleEn: string | null;
  lessonTitleZh: string;
  lessonTitleEn: string | null;
  classrooms: { id: string; nameZh: string; nameEn: string | null; schoolZh: string; schoolEn: string }[];
};

/** Sessions not yet over that this person teaches, or that one of their school's classrooms receives. */
export async function listUpcomingSessions(user: CurrentUser, now = new Date(), limit = 50): Promise<{ teaching: UpcomingSession[]; assisting: UpcomingSession[] }> {
  const { db } = getServices();
  const assistantAt = user.memberships.filter((m) => m.role === 'assistant').map((m) => m.institutionId);
  const base = db
    .selectDistinct({ id: liveSessions.id, startsAt: liveSessions.startsAt })
    .from(liveSessions)
    .innerJoin(liveClasses, eq(liveClasses.id, liveSessions.liveClassId))
    .innerJoin(liveClassReceivers, eq(liveClassReceivers.liveClassId, liveClasses.id))
    .innerJoin(classrooms, eq(classrooms.id, liveClassReceivers.classroomId));
  const open = and(gt(liveSessions.endsAt, now), ne(liveSessions.status, 'ended'));
  const teachingIds = await base.where(and(open, eq(liveClasses.teacherId, user.id))).orderBy(asc(liveSessions.startsAt)).limit(limit);
  const assistingIds = assistantAt.length ? await base.where(and(open, inArray(classrooms.institutionId, assistantAt))).orderBy(asc(liveSessions.startsAt)).limit(limit) : [];
  const details = await describeSessions([...teachingIds, ...assistingIds].map((r) => r.id));
  const pick = (ids: { id: string }[], onlyAt?: string[]): UpcomingSession[] =>
    ids.map((r) => {
      const { classrooms: cs, ...d } = details.get(r.id)!;
      return { ...d, classrooms: cs.filter((c) => !onlyAt || onlyAt.includes(c.institutionId)).map(({ institutionId: _i, ...c }) => c) };
    });
  return { teaching: pick(teachingIds), assisting: pick(assistingIds, assistantAt) };
}

async function describeSessions(ids: string[]) {
  const { db } = getServices();
  const out = new Map<string, Omit<UpcomingSession, 'classrooms'> & { classrooms: (UpcomingSession['classrooms'][number] & { institutionId: string })[] }>();
  if (!ids.length) return out;
  const rows = await db
    .select({ id: liveSessions.id, startsAt: liveSessions.startsAt, endsAt: liveSessions.endsAt, status: liveSessions.status, seriesId: liveSessions.seriesId, courseTitleZh: courses.titleZh, courseTitleEn: courses.titleEn, lessonTitleZh: lessons.titleZh, lessonTitleEn: lessons.titleEn, liveClassId: liveClasses.id })
    .from(liveSessions)
    .innerJoin(liveClasses, eq(liveClasses.id, liveSessions.liveClassId))
    .innerJoin(courses, eq(courses.id, liveClasses.courseId))
    .innerJoin(lessons, eq(lessons.id, liveSessions.lessonId))
    .where(inArray(liveSessions.id, ids));
  const rooms = await db
    .select({ liveClassId: liveClassReceivers.liveClassId, id: classrooms.id, nameZh: classrooms.nameZh, nameEn: classrooms.nameEn, institutionId: classrooms.institutionId, schoolZh: institutions.nameZh, schoolEn: institutions.nameEn })
    .from(liveClassReceivers)
    .innerJoin(classrooms, eq(classrooms.id, liveClassReceivers.classroomId))
    .innerJoin(institutions, eq(institutions.id, classrooms.institutionId))
    .where(inArray(liveClassReceivers.liveClassId, [...new Set(rows.map((r) => r.liveClassId))]));
  for (const { liveClassId, seriesId, ...r } of rows) {
    out.set(r.id, {
      ...r,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      weekly: seriesId !== null,
      classrooms: rooms.filter((c) => c.liveClassId === liveClassId).map(({ liveClassId: _l, ...c }) => c),
    });
  }
  return out;
}

/** What a teacher may schedule: their courses' lessons, lead rooms at the course's school, receiving rooms elsewhere. */
export async function schedulingOptions(userId: string) {
  const { db } = getServices();
  const taught = await db
    .select({ courseId: courses.id, institutionId: courses.institutionId, courseTitleZh: courses.titleZh, courseTitleEn: courses.titleEn, lessonId: lessons.id, lessonTitleZh: lessons.titleZh, lessonTitleEn: lessons.titleEn })
    .from(courseTeachers)
    .innerJoin(courses, eq(courses.id, courseTeachers.courseId))
    .innerJoin(lessons, eq(lessons.courseId, courses.id))
    .where(eq(courseTeachers.userId, userId))
    .orderBy(courses.titleZh, lessons.position);
  const schools = [...new Set(taught.map((t) => t.institutionId))];
  const rooms = await db
    .select({ id: classrooms.id, nameZh: classrooms.nameZh, nameEn: classrooms.nameEn, institutionId: classrooms.institutionId, schoolZh: institutions.nameZh, schoolEn: institutions.nameEn })
    .from(classrooms)
    .innerJoin(institutions, eq(institutions.id, classrooms.institutionId))
    .orderBy(institutions.nameZh, classrooms.nameZh);
  return { lessons: taught, leadRooms: rooms.filter((r) => schools.includes(r.institutionId)), receivingRooms: rooms.filter((r) => !schools.includes(r.institutionId)) };
}

export type ScheduleRequest = { lessonId: string; leadClassroomId: string; receiverIds: string[]; startsAt: Date; minutes: number; weeks: number; slides: string[] };

/**
 * Creates the live class (or reuses the teacher's class with the same lead and receivers)
 * and one session per week. Returns null when the lesson, lead or receivers are not the
 * teacher's to use (checked against `schedulingOptions`).
 */
export async function scheduleSessions(userId: string, r: ScheduleRequest): Promise<string[] | null> {
  const options = await schedulingOptions(userId);
  const lesson = options.lessons.find((l) => l.lessonId === r.lessonId);
  const lead = options.leadRooms.find((c) => c.id === r.leadClassroomId && c.institutionId === lesson?.institutionId);
  const receivers = [...new Set(r.receiverIds)];
  if (!lesson || !lead || !receivers.length || !receivers.every((id) => options.receivingRooms.some((c) => c.id === id))) return null;
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const mine = await tx.select({ id: liveClasses.id }).from(liveClasses).where(and(eq(liveClasses.teacherId, userId), eq(liveClasses.courseId, lesson.courseId), eq(liveClasses.leadClassroomId, lead.id)));
    let liveClassId: string | undefined;
    for (const c of mine) {
      const have = (await tx.select({ id: liveClassReceivers.classroomId }).from(liveClassReceivers).where(eq(liveClassReceivers.liveClassId, c.id))).map((x) => x.id).sort();
      if (have.join() === [...receivers].sort().join()) liveClassId = c.id;
    }
    if (!liveClassId) {
      [{ id: liveClassId }] = (await tx.insert(liveClasses).values({ courseId: lesson.courseId, teacherId: userId, leadClassroomId: lead.id }).returning({ id: liveClasses.id })) as [{ id: string }];
      await tx.insert(liveClassReceivers).values(receivers.map((classroomId) => ({ liveClassId: liveClassId!, classroomId })));
    }
    const seriesId = r.weeks > 1 ? crypto.randomUUID() : null;
    const week = 7 * 24 * 3600_000;
    const rows = await tx
      .insert(liveSessions)
      .values(Array.from({ length: r.weeks }, (_, i) => ({ liveClassId: liveClassId!, lessonId: lesson.lessonId, seriesId, startsAt: new Date(r.startsAt.getTime() + i * week), endsAt: new Date(r.startsAt.getTime() + i * week + r.minutes * 60_000), slides: r.slides })))
      .returning({ id: liveSessions.id });
    return rows.map((x) => x.id);
  });
}

export async function isAssistantAnywhere(userId: string): Promise<boolean> {
  const [m] = await getServices().db.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.userId, userId), eq(memberships.role, 'assistant'))).limit(1);
  return m !== undefined;
}
