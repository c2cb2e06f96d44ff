import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import {
  completionRecords,
  courseModules,
  coursePartners,
  courses,
  courseTeachers,
  enrolments,
  institutions,
  lessonCompletions,
  lessons,
  quizzes,
  regions,
  users,
  videos,
} from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import type { CurrentUser } from '../identity/session.server.js';
import { decideEnrolment, type EnrolmentDecision } from './enrolment-rules.js';
import { studentLessonCounts } from '../learning/lesson-counts.js';

/** A published course as its public page shows it; null when there is none (or it is a draft). */
export async function findPublishedCourse(slug: string) {
  const { db } = getServices();
  const [course] = await db
    .select({
      id: courses.id,
      slug: courses.slug,
      titleZh: courses.titleZh,
      titleEn: courses.titleEn,
      summaryZh: courses.summaryZh,
      summaryEn: courses.summaryEn,
      descriptionZh: courses.descriptionZh,
      descriptionEn: courses.descriptionEn,
      prerequisitesZh: courses.prerequisitesZh,
      prerequisitesEn: courses.prerequisitesEn,
      subject: courses.subject,
      level: courses.level,
      language: courses.language,
      credits: courses.credits,
      classHours: courses.classHours,
      enrolmentPolicy: courses.enrolmentPolicy,
      passGrade: courses.passGrade,
      updatedAt: courses.updatedAt,
      institutionId: institutions.id,
      institutionSlug: institutions.slug,
      institutionZh: institutions.nameZh,
      institutionEn: institutions.nameEn,
      regionCode: regions.code,
      regionZh: regions.nameZh,
      regionEn: regions.nameEn,
    })
    .from(courses)
    .innerJoin(institutions, eq(institutions.id, courses.institutionId))
    .innerJoin(regions, eq(regions.id, institutions.regionId))
    .where(and(eq(courses.slug, slug), isNotNull(courses.publishedAt)));
  if (!course) return null;
  const [teachers, partners, syllabus] = await Promise.all([
    db
      .select({ name: users.displayName })
      .from(courseTeachers)
      .innerJoin(users, eq(users.id, courseTeachers.userId))
      .where(and(eq(courseTeachers.courseId, course.id), isNotNull(users.displayName)))
      .orderBy(asc(users.displayName)),
    db
      .select({ id: institutions.id, slug: institutions.slug, nameZh: institutions.nameZh, nameEn: institutions.nameEn })
      .from(coursePartners)
      .innerJoin(institutions, eq(institutions.id, coursePartners.institutionId))
      .where(eq(coursePartners.courseId, course.id)),
    courseSyllabus(course.id),
  ]);
  return { ...course, teachers: teachers.map((t) => t.name!), partners, syllabus };
}

export type SyllabusLesson = { id: string; titleZh: string; titleEn: string | null; hasVideo: boolean; hasQuiz: boolean; durationSeconds: number | null };
export type SyllabusModule = { id: string | null; titleZh: string | null; titleEn: string | null; lessons: SyllabusLesson[] };

/** Modules in order with their students' lessons in order (no drafts); lessons outside any module come last. */
export async function courseSyllabus(courseId: string): Promise<SyllabusModule[]> {
  const { db } = getServices();
  const rows = await db
    .select({
      moduleId: courseModules.id,
      moduleTitleZh: courseModules.titleZh,
      moduleTitleEn: courseModules.titleEn,
      id: lessons.id,
      titleZh: lessons.titleZh,
      titleEn: lessons.titleEn,
      hasQuiz: sql<boolean>`${quizzes.id} is not null`,
      durationSeconds: videos.durationSeconds,
    })
    .from(lessons)
    .leftJoin(courseModules, eq(courseModules.id, lessons.moduleId))
    .leftJoin(quizzes, eq(quizzes.lessonId, lessons.id))
    .leftJoin(videos, and(eq(videos.lessonId, lessons.id), eq(videos.status, 'ready')))
    .where(and(eq(lessons.courseId, courseId), eq(lessons.draft, false)))
    .orderBy(sql`${courseModules.position} asc nulls last`, asc(lessons.position));
  const modules: SyllabusModule[] = [];
  for (const row of rows) {
    let current = modules.at(-1);
    if (!current || current.id !== row.moduleId) {
      current = { id: row.moduleId, titleZh: row.moduleTitleZh, titleEn: row.moduleTitleEn, lessons: [] };
      modules.push(current);
    }
    current.lessons.push({ id: row.id, titleZh: row.titleZh, titleEn: row.titleEn, hasVideo: row.durationSeconds !== null, hasQuiz: row.hasQuiz, durationSeconds: row.durationSeconds });
  }
  return modules;
}

export type StudentCourseState = {
  enrolled: boolean;
  decision: EnrolmentDecision | null;
  completedLessonIds: string[];
  continueLessonId: string | null;
  record: { finalGrade: string | null; completedOn: string; credits: string } | null;
};

/** Where a signed-in person stands in a course: enrolled or may enrol (and why not), progress, record. */
export async function studentCourseState(user: CurrentUser, course: { id: string; institutionId: string; enrolmentPolicy: 'open' | 'institution' | 'partners'; partners: { id: string }[]; syllabus: SyllabusModule[] }): Promise<StudentCourseState> {
  const { db } = getServices();
  const [enrolment] = await db
    .select({ lastLessonId: enrolments.lastLessonId })
    .from(enrolments)
    .where(and(eq(enrolments.userId, user.id), eq(enrolments.courseId, course.id)));
  if (!enrolment) {
    return {
      enrolled: false,
      decision: decideEnrolment(user.memberships, { ...course, partnerInstitutionIds: course.partners.map((p) => p.id) }),
      completedLessonIds: [],
      continueLessonId: null,
      record: null,
    };
  }
  const done = await db
    .select({ lessonId: lessonCompletions.lessonId })
    .from(lessonCompletions)
    .innerJoin(lessons, eq(lessons.id, lessonCompletions.lessonId))
    .where(and(eq(lessonCompletions.userId, user.id), eq(lessons.courseId, course.id), isNotNull(lessonCompletions.completedAt)));
  const completed = new Set(done.map((d) => d.lessonId));
  const ordered = course.syllabus.flatMap((m) => m.lessons.map((l) => l.id));
  const [record] = await db
    .select({ finalGrade: completionRecords.finalGrade, completedOn: completionRecords.completedOn, credits: completionRecords.credits })
    .from(completionRecords)
    .where(and(eq(completionRecords.userId, user.id), eq(completionRecords.courseId, course.id)));
  return {
    enrolled: true,
    decision: null,
    completedLessonIds: [...completed],
    // The lesson last opened, unless it is done: then the first lesson not yet complete
    // (none once every lesson is).
    continueLessonId:
      enrolment.lastLessonId && !completed.has(enrolment.lastLessonId) ? enrolment.lastLessonId : (ordered.find((id) => !completed.has(id)) ?? null),
    record: record ?? null,
  };
}

/** Enrols the user if the course's rule lets them; idempotent. */
export async function enrol(user: CurrentUser, course: { id: string; institutionId: string; enrolmentPolicy: 'open' | 'institution' | 'partners'; partners: { id: string }[] }): Promise<EnrolmentDecision> {
  const decision = decideEnrolment(user.memberships, { ...course, partnerInstitutionIds: course.partners.map((p) => p.id) });
  if (!decision.allowed) return decision;
  await getServices()
    .db.insert(enrolments)
    .values({ userId: user.id, courseId: course.id, viaInstitutionId: decision.viaInstitutionId })
    .onConflictDoNothing();
  return decision;
}

/** A student's courses with progress, most recently active first: the home page's "continue". */
export async function listMyCourses(userId: string) {
  const { db } = getServices();
  return db
    .select({
      slug: courses.slug,
      titleZh: courses.titleZh,
      titleEn: courses.titleEn,
      lastLessonId: enrolments.lastLessonId,
      ...studentLessonCounts(userId),
      completed: sql<boolean>`exists (select 1 from ${completionRecords} r where r.course_id = ${courses.id} and r.user_id = ${userId})`,
    })
    .from(enrolments)
    .innerJoin(courses, eq(courses.id, enrolments.courseId))
    .where(eq(enrolments.userId, userId))
    .orderBy(sql`${enrolments.lastActivityAt} desc`);
}

/** An institution's public page: who it is and its published courses. */
export async function findInstitutionBySlug(slug: string) {
  const { db } = getServices();
  const [row] = await db
    .select({ id: institutions.id, slug: institutions.slug, kind: institutions.kind, nameZh: institutions.nameZh, nameEn: institutions.nameEn, regionZh: regions.nameZh, regionEn: regions.nameEn })
    .from(institutions)
    .innerJoin(regions, eq(regions.id, institutions.regionId))
    .where(eq(institutions.slug, slug));
  return row ?? null;
}
