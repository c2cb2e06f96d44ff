import { and, eq } from 'drizzle-orm';
import type { Transaction as Tx } from '../client.js';
import { classroomPupils, classrooms, courses, institutions, lessons, liveClasses, liveClassReceivers, liveSessions, users } from '../schema/index.js';


// A Fuzhou University teacher's smart classroom, followed by two rural classrooms (one in
// Guangze, where the demo assistant works, one in Minqing).
export const demoClassrooms = [
  { institutionSlug: 'fzu', nameZh: '智慧教室 A101', nameEn: 'Smart classroom A101', pupils: [] as string[] },
  { institutionSlug: 'gz-no1-middle', nameZh: '高二（1）班', nameEn: 'Grade 11, class 1', pupils: ['李明', '王芳', '张伟', '刘洋', '陈静', '杨帆'] },
  { institutionSlug: 'mq-bandong-primary', nameZh: '六年级（2）班', nameEn: 'Year 6, class 2', pupils: ['吴磊', '郑丽', '孙浩', '周敏'] },
] as const;

export const demoLiveClass = { courseSlug: 'fzu-linear-algebra-1', teacherEmail: 'teacher@demo.edu.cn', lead: '智慧教室 A101', receivers: ['高二（1）班', '六年级（2）班'] };

const slides = ['向量：有大小和方向的量', '线性组合：c·v + d·w', '例题：两个向量能组合出哪些点？', '小结与练习'];

/** Idempotent: classrooms, their rosters, one live class and, only the first time, its timetable. */
export async function seedDemoClassrooms(tx: Tx, now = new Date()) {
  const ids = new Map<string, string>();
  for (const c of demoClassrooms) {
    const [inst] = await tx.select({ id: institutions.id }).from(institutions).where(eq(institutions.slug, c.institutionSlug));
    const [row] = await tx
      .insert(classrooms)
      .values({ institutionId: inst!.id, nameZh: c.nameZh, nameEn: c.nameEn })
      .onConflictDoUpdate({ target: [classrooms.institutionId, classrooms.nameZh], set: { nameEn: c.nameEn } })
      .returning({ id: classrooms.id });
    ids.set(c.nameZh, row!.id);
    if (c.pupils.length) await tx.insert(classroomPupils).values(c.pupils.map((displayName) => ({ classroomId: row!.id, displayName }))).onConflictDoNothing();
  }
  const [course] = await tx.select({ id: courses.id }).from(courses).where(eq(courses.slug, demoLiveClass.courseSlug));
  const [teacher] = await tx.select({ id: users.id }).from(users).where(eq(users.email, demoLiveClass.teacherEmail));
  const leadId = ids.get(demoLiveClass.lead)!;
  const [existing] = await tx
    .select({ id: liveClasses.id })
    .from(liveClasses)
    .where(and(eq(liveClasses.courseId, course!.id), eq(liveClasses.teacherId, teacher!.id), eq(liveClasses.leadClassroomId, leadId)));
  if (existing) return;
  const [liveClass] = await tx.insert(liveClasses).values({ courseId: course!.id, teacherId: teacher!.id, leadClassroomId: leadId }).returning({ id: liveClasses.id });
  await tx.insert(liveClassReceivers).values(demoLiveClass.receivers.map((name) => ({ liveClassId: liveClass!.id, classroomId: ids.get(name)! })));
  const courseLessons = await tx.select({ id: lessons.id }).from(lessons).where(eq(lessons.courseId, course!.id)).orderBy(lessons.position);
  // One session starting now (to try at once) and a weekly series from tomorrow.
  const hour = 3_600_000;
  const soon = new Date(Math.floor(now.getTime() / (15 * 60_000)) * 15 * 60_000);
  const tomorrow = new Date(soon.getTime() + 24 * hour);
  const seriesId = crypto.randomUUID();
  await tx.insert(liveSessions).values([
    { liveClassId: liveClass!.id, lessonId: courseLessons[0]!.id, startsAt: soon, endsAt: new Date(soon.getTime() + 2 * hour), slides },
    ...[0, 1, 2, 3].map((week) => ({
      liveClassId: liveClass!.id,
      lessonId: courseLessons[Math.min(week, courseLessons.length - 1)]!.id,
      seriesId,
      startsAt: new Date(tomorrow.getTime() + week * 7 * 24 * hour),
      endsAt: new Date(tomorrow.getTime() + week * 7 * 24 * hour + 45 * 60_000),
      slides,
    })),
  ]);
}
