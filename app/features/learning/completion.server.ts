import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import {
  completionRecords,
  courses,
  institutions,
  lessonCompletions,
  lessons,
  lessonVideoProgress,
  quizAttempts,
  quizzes,
  videos,
} from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { finalGrade, hasParts, isCourseComplete, isLessonComplete, type GradedQuiz } from './grading.js';
import { isWatchableVideo } from './lesson.server.js';
import { studentLessonCounts } from './lesson-counts.js';

type Db = ReturnType<typeof getServices>['db'];

/** China's calendar date of an instant, as completion records carry it. */
function chinaDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

/**
 * Re-evaluates one student's lesson after something happened there (a page view, a
 * watched stretch, a quiz submission): marks it complete once each of its parts is, and
 * then checks the whole course. `viewed` records the visit, and that the lesson's text
 * (if it has any) was shown. A lesson without parts cannot be completed (`completable`):
 * a visit proves nothing, and the lesson stays open for whatever the teacher adds.
 */
export async function refreshLessonCompletion(
  userId: string,
  lessonId: string,
  opts: { viewed?: boolean } = {},
): Promise<{ lessonComplete: boolean; courseCompleted: boolean; completable: boolean }> {
  const { db } = getServices();
  const [lesson] = await db
    .select({
      courseId: lessons.courseId,
      hasText: sql<boolean>`${lessons.bodyZh} <> ''`,
      // A lecture still encoding counts once students can play it (early publishing).
      hasVideo: sql<boolean>`exists (${db.select({ one: sql`1` }).from(videos).where(and(eq(videos.lessonId, lessons.id), isWatchableVideo))})`,
      quizId: quizzes.id,
    })
    .from(lessons)
    .leftJoin(quizzes, eq(quizzes.lessonId, lessons.id))
    .where(eq(lessons.id, lessonId));
  if (!lesson) return { lessonComplete: false, courseCompleted: false, completable: false };
  const parts = { hasVideo: lesson.hasVideo, hasText: lesson.hasText, hasQuiz: lesson.quizId !== null };
  const completable = hasParts(parts);

  if (opts.viewed) {
    // The row itself records the visit (the studio's "reached" counts it).
    const textViewedAt = lesson.hasText ? new Date() : null;
    await db.insert(lessonCompletions).values({ userId, lessonId, textViewedAt }).onConflictDoUpdate({
      target: [lessonCompletions.userId, lessonCompletions.lessonId],
      set: { textViewedAt: sql`coalesce(${lessonCompletions.textViewedAt}, excluded.text_viewed_at)` },
    });
  }
  const [state] = await db
    .select({ textViewedAt: lessonCompletions.textViewedAt, completedAt: lessonCompletions.completedAt })
    .from(lessonCompletions)
    .where(and(eq(lessonCompletions.userId, userId), eq(lessonCompletions.lessonId, lessonId)));
  // Already complete: the course may still become complete (a better quiz attempt lifted the grade).
  if (state?.completedAt) return { lessonComplete: true, courseCompleted: await issueCompletionIfMet(userId, lesson.courseId), completable };
  if (!completable) return { lessonComplete: false, courseCompleted: false, completable };

  const [video] = await db
    .select({ completedAt: lessonVideoProgress.completedAt })
    .from(lessonVideoProgress)
    .where(and(eq(lessonVideoProgress.userId, userId), eq(lessonVideoProgress.lessonId, lessonId)));
  const quizSubmitted = lesson.quizId
    ? (await db.select({ n: sql<number>`count(*)::int` }).from(quizAttempts).where(and(eq(quizAttempts.quizId, lesson.quizId), eq(quizAttempts.userId, userId))))[0]!.n > 0
    : false;
  const complete = isLessonComplete(parts, { videoWatched: Boolean(video?.completedAt), textViewed: Boolean(state?.textViewedAt), quizSubmitted });
  if (!complete) return { lessonComplete: false, courseCompleted: false, completable };
  await db
    .insert(lessonCompletions)
    .values({ userId, lessonId, completedAt: new Date() })
    .onConflictDoUpdate({ target: [lessonCompletions.userId, lessonCompletions.lessonId], set: { completedAt: sql`coalesce(${lessonCompletions.completedAt}, now())` } });
  return { lessonComplete: true, courseCompleted: await issueCompletionIfMet(userId, lesson.courseId), completable };
}

/** The course's final grade for a student so far (null for a course without graded quizzes). */
export async function currentFinalGrade(db: Db, userId: string, courseId: string, scoring: 'best' | 'latest'): Promise<string | null> {
  const rows = await db
    .select({ quizId: quizzes.id, weight: quizzes.weight, score: quizAttempts.score, maxScore: quizAttempts.maxScore })
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .leftJoin(quizAttempts, and(eq(quizAttempts.quizId, quizzes.id), eq(quizAttempts.userId, userId)))
    .where(eq(lessons.courseId, courseId))
    .orderBy(asc(quizzes.id), asc(quizAttempts.attemptNo));
  const byQuiz = new Map<string, GradedQuiz>();
  for (const row of rows) {
    const quiz = byQuiz.get(row.quizId) ?? { weight: row.weight, attempts: [] };
    if (row.score !== null && row.maxScore !== null) quiz.attempts.push({ score: row.score, maxScore: row.maxScore });
    byQuiz.set(row.quizId, quiz);
  }
  return finalGrade([...byQuiz.values()], scoring);
}

/**
 * Issues the completion record once the course's rule is met. The record is a snapshot
 * (title, institution, credits, hours, grade, date) and can never change afterwards.
 */
export async function issueCompletionIfMet(userId: string, courseId: string): Promise<boolean> {
  const { db } = getServices();
  const [course] = await db
    .select({
      slug: courses.slug,
      titleZh: courses.titleZh,
      titleEn: courses.titleEn,
      institutionId: courses.institutionId,
      institutionNameZh: institutions.nameZh,
      institutionNameEn: institutions.nameEn,
      credits: courses.credits,
      classHours: courses.classHours,
      passGrade: courses.passGrade,
      attemptScoring: courses.attemptScoring,
      ...studentLessonCounts(userId),
    })
    .from(courses)
    .innerJoin(institutions, eq(institutions.id, courses.institutionId))
    .where(and(eq(courses.id, courseId), isNotNull(courses.publishedAt)));
  if (!course) return false;
  const grade = await currentFinalGrade(db, userId, courseId, course.attemptScoring);
  if (!isCourseComplete({ lessonCount: course.lessonCount, completedLessons: course.completedLessons, grade, passGrade: course.passGrade })) return false;
  const inserted = await db
    .insert(completionRecords)
    .values({
      userId,
      courseId,
      institutionId: course.institutionId,
      courseSlug: course.slug,
      courseTitleZh: course.titleZh,
      courseTitleEn: course.titleEn,
      institutionNameZh: course.institutionNameZh,
      institutionNameEn: course.institutionNameEn,
      credits: course.credits,
      classHours: course.classHours,
      finalGrade: grade,
      completedOn: chinaDate(new Date()),
    })
    .onConflictDoNothing()
    .returning({ id: completionRecords.id });
  return inserted.length > 0;
}
