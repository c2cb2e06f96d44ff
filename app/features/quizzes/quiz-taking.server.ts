import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { completionRecords, courses, enrolments, lessons, quizAttempts, quizItems, quizzes, type QuizResponse } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { refreshLessonCompletion } from '../learning/completion.server.js';
import { gradeAttempt } from './grade-items.js';

/** The lesson's quiz with its items in order (answer keys included: server side only). */
export async function findLessonQuiz(lessonId: string) {
  const { db } = getServices();
  const [quiz] = await db.select().from(quizzes).where(eq(quizzes.lessonId, lessonId));
  if (!quiz) return null;
  const items = await db.select().from(quizItems).where(eq(quizItems.quizId, quiz.id)).orderBy(asc(quizItems.position));
  return { quiz, items };
}

export type AttemptSummary = { attemptNo: number; score: string; maxScore: string; submittedAt: Date };

export async function listAttempts(quizId: string, userId: string): Promise<AttemptSummary[]> {
  return getServices()
    .db.select({ attemptNo: quizAttempts.attemptNo, score: quizAttempts.score, maxScore: quizAttempts.maxScore, submittedAt: quizAttempts.submittedAt })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.quizId, quizId), eq(quizAttempts.userId, userId)))
    .orderBy(asc(quizAttempts.attemptNo));
}

/** One of the student's own attempts (never anyone else's). */
export async function findOwnAttempt(quizId: string, userId: string, attemptNo: number) {
  const [row] = await getServices()
    .db.select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.quizId, quizId), eq(quizAttempts.userId, userId), eq(quizAttempts.attemptNo, attemptNo)));
  return row ?? null;
}

export async function courseGradingPolicy(courseId: string) {
  const [row] = await getServices()
    .db.select({ attemptScoring: courses.attemptScoring, passGrade: courses.passGrade })
    .from(courses)
    .where(eq(courses.id, courseId));
  return row!;
}

export async function hasCompletionRecord(userId: string, courseId: string): Promise<boolean> {
  const rows = await getServices()
    .db.select({ id: completionRecords.id })
    .from(completionRecords)
    .where(and(eq(completionRecords.userId, userId), eq(completionRecords.courseId, courseId)));
  return rows.length > 0;
}

export function isPastDue(dueAt: Date | null, now = new Date()): boolean {
  return dueAt !== null && now.getTime() > dueAt.getTime();
}

export type SubmitOutcome =
  | { kind: 'recorded'; attemptNo: number }
  | { kind: 'past-due' }
  | { kind: 'no-attempts-left'; attemptsAllowed: number }
  /** The page offered an attempt that is no longer the next one: a double submit or a stale page. */
  | { kind: 'already-submitted'; lastAttemptNo: number }
  | { kind: 'not-enrolled' }
  | { kind: 'no-quiz' };

/**
 * Grades and stores the next attempt. The student's enrolment row is locked for the
 * transaction, so two submissions at once are taken one after the other: the second sees
 * the first's attempt and is refused (the unique (quiz, user, attemptNo) is the backstop).
 * Nothing earlier is ever updated: each attempt is a new row.
 */
export async function submitAttempt(input: { userId: string; courseId: string; quizId: string; attemptNo: number; responses: QuizResponse[] }): Promise<SubmitOutcome> {
  const { db } = getServices();
  try {
    return await db.transaction(async (tx) => {
      const [enrolled] = await tx
        .select({ userId: enrolments.userId })
        .from(enrolments)
        .where(and(eq(enrolments.userId, input.userId), eq(enrolments.courseId, input.courseId)))
        .for('update');
      if (!enrolled) return { kind: 'not-enrolled' } as const;
      // Shared lock: the teacher cannot delete the quiz (and our attempt with it) meanwhile.
      const [quiz] = await tx.select().from(quizzes).where(eq(quizzes.id, input.quizId)).for('share');
      if (!quiz) return { kind: 'no-quiz' } as const;
      if (isPastDue(quiz.dueAt)) return { kind: 'past-due' } as const;
      const [last] = await tx
        .select({ attemptNo: quizAttempts.attemptNo })
        .from(quizAttempts)
        .where(and(eq(quizAttempts.quizId, quiz.id), eq(quizAttempts.userId, input.userId)))
        .orderBy(desc(quizAttempts.attemptNo))
        .limit(1);
      const lastAttemptNo = last?.attemptNo ?? 0;
      if (lastAttemptNo >= quiz.attemptsAllowed) return { kind: 'no-attempts-left', attemptsAllowed: quiz.attemptsAllowed } as const;
      if (input.attemptNo !== lastAttemptNo + 1) return { kind: 'already-submitted', lastAttemptNo } as const;
      const items = await tx.select().from(quizItems).where(eq(quizItems.quizId, quiz.id)).orderBy(asc(quizItems.position));
      const graded = gradeAttempt(items, input.responses);
      await tx.insert(quizAttempts).values({ quizId: quiz.id, userId: input.userId, attemptNo: input.attemptNo, responses: input.responses, ...graded });
      await tx.update(enrolments).set({ lastActivityAt: new Date() }).where(and(eq(enrolments.userId, input.userId), eq(enrolments.courseId, input.courseId)));
      return { kind: 'recorded', attemptNo: input.attemptNo } as const;
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return { kind: 'already-submitted', lastAttemptNo: input.attemptNo };
    throw error;
  }
}

export type QuizSummaryData = {
  itemCount: number;
  attemptsAllowed: number;
  attemptsUsed: number;
  dueAt: Date | null;
  pastDue: boolean;
  /** The attempt that counts under the course's policy (best or latest). */
  counted: { score: string; maxScore: string } | null;
};

/** The attempt the course's policy counts; ratios compared exactly by cross-multiplying hundredths. */
export function countedAttempt<A extends { score: string; maxScore: string }>(attempts: A[], scoring: 'best' | 'latest'): A | null {
  if (attempts.length === 0) return null;
  if (scoring === 'latest') return attempts[attempts.length - 1]!;
  const h = (d: string) => BigInt(Math.round(Number(d) * 100));
  return attempts.reduce((b, a) => (h(a.score) * h(b.maxScore) > h(b.score) * h(a.maxScore) ? a : b));
}

/** What the lesson page shows about its quiz (null if the lesson has none). */
export async function quizSummaryFor(userId: string, lessonId: string): Promise<QuizSummaryData | null> {
  const { db } = getServices();
  const [row] = await db
    .select({
      id: quizzes.id,
      attemptsAllowed: quizzes.attemptsAllowed,
      dueAt: quizzes.dueAt,
      attemptScoring: courses.attemptScoring,
      itemCount: sql<number>`(select count(*)::int from ${quizItems} where ${quizItems.quizId} = ${quizzes.id})`,
    })
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .innerJoin(courses, eq(courses.id, lessons.courseId))
    .where(eq(quizzes.lessonId, lessonId));
  if (!row) return null;
  const attempts = await listAttempts(row.id, userId);
  const counted = countedAttempt(attempts, row.attemptScoring);
  return {
    itemCount: row.itemCount,
    attemptsAllowed: row.attemptsAllowed,
    attemptsUsed: attempts.length,
    dueAt: row.dueAt,
    pastDue: isPastDue(row.dueAt),
    counted: counted ? { score: counted.score, maxScore: counted.maxScore } : null,
  };
}

/**
 * After an accepted attempt: the lesson may now be complete, and the course grade may now
 * reach the pass mark. refreshLessonCompletion skips the course check for a lesson that
 * was already complete, so a better later attempt checks the course itself.
 */
export async function afterAttemptRecorded(userId: string, lesson: { id: string; courseId: string }): Promise<void> {
  await refreshLessonCompletion(userId, lesson.id);
}
