import { sql, type SQL } from 'drizzle-orm';
import { courses, lessonCompletions, lessons } from '../../../db/schema/index.js';

/**
 * A course's lessons that count for its students (drafts do not) and how many of them one
 * student has completed, as columns of a query over `courses`: the completion rule and
 * the home page's progress read the same numbers.
 */
export function studentLessonCounts(userId: string): { lessonCount: SQL<number>; completedLessons: SQL<number> } {
  return {
    lessonCount: sql<number>`(select count(*)::int from ${lessons} where ${lessons.courseId} = ${courses.id} and not ${lessons.draft})`,
    completedLessons: sql<number>`(select count(*)::int from ${lessonCompletions} lc join ${lessons} l on l.id = lc.lesson_id
        where l.course_id = ${courses.id} and not l.draft and lc.user_id = ${userId} and lc.completed_at is not null)`,
  };
}
