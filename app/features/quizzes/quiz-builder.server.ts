import { and, asc, eq, gt, lt, desc, sql } from 'drizzle-orm';
import { courses, lessons, quizAttempts, quizItems, quizzes, type QuizItem } from '../../../db/schema/index.js';
import type { Database, Transaction } from '../../../db/client.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { refreshLessonCompletion } from '../learning/completion.server.js';
import type { SavedItem } from './builder-forms.js';
import { gradeAttempt, sameGrading } from './grade-items.js';

/**
 * The submitted attempts whose stored grading differs from grading their responses again
 * against the items as they are now (a changed answer key, points, an item added or
 * removed), with that new grading.
 */
async function attemptsToRegrade(db: Database | Transaction, quizId: string, items: QuizItem[]) {
  const attempts = await db
    .select({ id: quizAttempts.id, userId: quizAttempts.userId, responses: quizAttempts.responses, results: quizAttempts.results, score: quizAttempts.score, maxScore: quizAttempts.maxScore })
    .from(quizAttempts)
    .where(eq(quizAttempts.quizId, quizId));
  return attempts
    .map((a) => ({ attempt: a, graded: gradeAttempt(items, a.responses) }))
    .filter(({ attempt, graded }) => !sameGrading(attempt, graded));
}

/** The lesson's quiz row, or null: what the builder's actions need (not the page's counts). */
export async function findLessonQuiz(lessonId: string) {
  const [quiz] = await getServices().db.select().from(quizzes).where(eq(quizzes.lessonId, lessonId));
  return quiz ?? null;
}

/** Everything the builder page shows: the quiz and its items (answer keys included), the course's policy and weights. */
export async function loadQuizBuilder(lessonId: string, courseId: string) {
  const { db } = getServices();
  const quiz = await findLessonQuiz(lessonId);
  const items = quiz ? await db.select().from(quizItems).where(eq(quizItems.quizId, quiz.id)).orderBy(asc(quizItems.position)) : [];
  const attemptCount = quiz ? (await db.select({ n: sql<number>`count(*)::int` }).from(quizAttempts).where(eq(quizAttempts.quizId, quiz.id)))[0]!.n : 0;
  const staleAttemptCount = quiz && attemptCount > 0 ? (await attemptsToRegrade(db, quiz.id, items)).length : 0;
  const [policy] = await db.select({ attemptScoring: courses.attemptScoring, passGrade: courses.passGrade }).from(courses).where(eq(courses.id, courseId));
  const weights = await db
    .select({ lessonId: lessons.id, titleZh: lessons.titleZh, titleEn: lessons.titleEn, weight: quizzes.weight })
    .from(quizzes)
    .innerJoin(lessons, eq(lessons.id, quizzes.lessonId))
    .where(eq(lessons.courseId, courseId))
    .orderBy(asc(lessons.position));
  return { quiz, items, attemptCount, staleAttemptCount, policy: policy!, weights };
}

export async function createQuiz(lessonId: string): Promise<void> {
  await getServices().db.insert(quizzes).values({ lessonId }).onConflictDoNothing({ target: quizzes.lessonId });
}

export async function updateQuizSettings(quizId: string, settings: { attemptsAllowed: number; dueAt: Date | null; weight: string }): Promise<void> {
  await getServices().db.update(quizzes).set(settings).where(eq(quizzes.id, quizId));
}

export async function updateGradingPolicy(courseId: string, policy: { attemptScoring: 'best' | 'latest'; passGrade: string }): Promise<void> {
  await getServices()
    .db.update(courses)
    .set({ ...policy, updatedAt: new Date() })
    .where(eq(courses.id, courseId));
}

/**
 * Updates an item of this quiz, or appends a new one. 'gone' if the item is not (or no
 * longer) this quiz's; 'stale' if it was saved by someone else since the teacher opened it
 * (their save would silently undo the other one's answer key).
 */
export async function saveQuizItem(quizId: string, item: SavedItem): Promise<'saved' | 'gone' | 'stale'> {
  const { db } = getServices();
  const fields = {
    kind: item.kind,
    promptZh: item.promptZh,
    promptEn: item.promptEn,
    points: item.points,
    feedbackZh: item.feedbackZh,
    feedbackEn: item.feedbackEn,
    options: item.options,
    answerKey: item.answerKey!,
  };
  if (item.itemId) {
    const mine = and(eq(quizItems.id, item.itemId), eq(quizItems.quizId, quizId));
    const updated = await db
      .update(quizItems)
      .set({ ...fields, version: sql`${quizItems.version} + 1` })
      .where(item.version === undefined ? mine : and(mine, eq(quizItems.version, item.version)))
      .returning({ id: quizItems.id });
    if (updated.length > 0) return 'saved';
    const [exists] = await db.select({ id: quizItems.id }).from(quizItems).where(mine);
    return exists ? 'stale' : 'gone';
  }
  await db.transaction(async (tx) => {
    await tx.select({ id: quizzes.id }).from(quizzes).where(eq(quizzes.id, quizId)).for('update');
    const [last] = await tx.select({ position: quizItems.position }).from(quizItems).where(eq(quizItems.quizId, quizId)).orderBy(desc(quizItems.position)).limit(1);
    await tx.insert(quizItems).values({ quizId, position: (last?.position ?? 0) + 1, ...fields });
  });
  return 'saved';
}

/** Deletes an item and closes the gap in the numbering. Submitted attempts keep their own copy of its result. */
export async function removeQuizItem(quizId: string, itemId: string): Promise<boolean> {
  return getServices().db.transaction(async (tx) => {
    await tx.select({ id: quizzes.id }).from(quizzes).where(eq(quizzes.id, quizId)).for('update');
    const [removed] = await tx
      .delete(quizItems)
      .where(and(eq(quizItems.id, itemId), eq(quizItems.quizId, quizId)))
      .returning({ position: quizItems.position });
    if (!removed) return false;
    await tx
      .update(quizItems)
      .set({ position: sql`${quizItems.position} - 1` })
      .where(and(eq(quizItems.quizId, quizId), gt(quizItems.position, removed.position)));
    return true;
  });
}

/** Swaps an item with its neighbour above or below (a no-op at either end). */
export async function moveQuizItem(quizId: string, itemId: string, direction: 'up' | 'down'): Promise<boolean> {
  return getServices().db.transaction(async (tx) => {
    await tx.select({ id: quizzes.id }).from(quizzes).where(eq(quizzes.id, quizId)).for('update');
    const [item] = await tx.select({ position: quizItems.position }).from(quizItems).where(and(eq(quizItems.id, itemId), eq(quizItems.quizId, quizId)));
    if (!item) return false;
    const [neighbour] = await tx
      .select({ id: quizItems.id, position: quizItems.position })
      .from(quizItems)
      .where(and(eq(quizItems.quizId, quizId), direction === 'up' ? lt(quizItems.position, item.position) : gt(quizItems.position, item.position)))
      .orderBy(direction === 'up' ? desc(quizItems.position) : asc(quizItems.position))
      .limit(1);
    if (!neighbour) return true;
    await tx.update(quizItems).set({ position: neighbour.position }).where(eq(quizItems.id, itemId));
    await tx.update(quizItems).set({ position: item.position }).where(eq(quizItems.id, neighbour.id));
    return true;
  });
}

/**
 * Grades every submitted attempt again against the items as they are now, on the
 * teacher's say-so (editing an item never changes a grade by itself). The quiz row is
 * locked, so a submission in flight (it holds a share lock) is graded first and then
 * regraded here. The change is audited; each affected student's lesson and course are
 * checked again afterwards, so a course may now be complete. Completion records already
 * issued are snapshots and stay as they were.
 */
export async function regradeQuiz(quizId: string, lesson: { id: string; institutionId: string }, actorUserId: string): Promise<{ regraded: number; students: number }> {
  const { db } = getServices();
  const changed = await db.transaction(async (tx) => {
    await tx.select({ id: quizzes.id }).from(quizzes).where(eq(quizzes.id, quizId)).for('update');
    const items = await tx.select().from(quizItems).where(eq(quizItems.quizId, quizId)).orderBy(asc(quizItems.position));
    const stale = await attemptsToRegrade(tx, quizId, items);
    for (const { attempt, graded } of stale) await tx.update(quizAttempts).set(graded).where(eq(quizAttempts.id, attempt.id));
    if (stale.length > 0) {
      await recordAudit(tx, {
        action: 'quiz.regraded',
        actorUserId,
        institutionId: lesson.institutionId,
        details: { quizId, lessonId: lesson.id, attempts: stale.map(({ attempt, graded }) => ({ attemptId: attempt.id, from: attempt.score, to: graded.score, maxScore: graded.maxScore })) },
      });
    }
    return stale;
  });
  const students = [...new Set(changed.map(({ attempt }) => attempt.userId))];
  for (const userId of students) await refreshLessonCompletion(userId, lesson.id);
  return { regraded: changed.length, students: students.length };
}

/** Deletes the quiz only while nobody has submitted it: students' attempts are never thrown away. */
export async function deleteQuiz(quizId: string): Promise<'deleted' | 'has-attempts'> {
  return getServices().db.transaction(async (tx) => {
    await tx.select({ id: quizzes.id }).from(quizzes).where(eq(quizzes.id, quizId)).for('update');
    const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(quizAttempts).where(eq(quizAttempts.quizId, quizId))) as [{ n: number }];
    if (n > 0) return 'has-attempts';
    await tx.delete(quizzes).where(eq(quizzes.id, quizId));
    return 'deleted';
  });
}
