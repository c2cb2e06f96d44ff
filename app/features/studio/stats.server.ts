import { sql } from 'drizzle-orm';
import { getServices } from '../../services.server.js';


export type LessonStats = {
  lessonId: string;
  position: number;
  titleZh: string;
  titleEn: string | null;
  /** Enrolled students with any activity on the lesson (text viewed, video started, completed). */
  reached: number;
  completed: number;
  /** Reached this lesson but not the next one; null for the last lesson. */
  droppedBeforeNext: number | null;
  /** Students with video progress, per watched-fraction bucket (same order as watchedBuckets). */
  watched: number[];
};

/**
 * Per-lesson completion and drop-off among the course's enrolled students, computed in
 * PostgreSQL (one pass; `lead` looks at each student's next lesson in course order).
 */
export async function courseLessonStats(courseId: string): Promise<{ enrolled: number; lessons: LessonStats[] }> {
  const { db } = getServices();
  const [enrolled] = await db.execute<{ n: number }>(sql`select count(*)::int as n from enrolments where course_id = ${courseId}`);
  const rows = await db.execute<{
    lesson_id: string; position: number; title_zh: string; title_en: string | null; is_last: boolean;
    reached: number; completed: number; dropped: number; w0: number; w1: number; w2: number; w3: number; w4: number;
  }>(sql`
    with activity as (
      select l.id as lesson_id, l.position, e.user_id,
             (lc.user_id is not null or vp.user_id is not null) as reached,
             lc.completed_at is not null as completed,
             vp.watched_fraction as fraction
      from lessons l
      join enrolments e on e.course_id = l.course_id
      left join lesson_completions lc on lc.user_id = e.user_id and lc.lesson_id = l.id
      left join lesson_video_progress vp on vp.user_id = e.user_id and vp.lesson_id = l.id
      where l.course_id = ${courseId}
    ), with_next as (
      select *, lead(reached) over (partition by user_id order by position, lesson_id) as reached_next from activity
    )
    select l.id as lesson_id, l.position, l.title_zh, l.title_en,
           l.position = max(l.position) over () as is_last,
           count(*) filter (where a.reached)::int as reached,
           count(*) filter (where a.completed)::int as completed,
           count(*) filter (where a.reached and not a.reached_next)::int as dropped,
           count(*) filter (where a.fraction < 0.25)::int as w0,
           count(*) filter (where a.fraction >= 0.25 and a.fraction < 0.5)::int as w1,
           count(*) filter (where a.fraction >= 0.5 and a.fraction < 0.75)::int as w2,
           count(*) filter (where a.fraction >= 0.75 and a.fraction < 0.95)::int as w3,
           count(*) filter (where a.fraction >= 0.95)::int as w4
    from lessons l
    left join with_next a on a.lesson_id = l.id
    where l.course_id = ${courseId}
    group by l.id
    order by l.position, l.id`);
  return {
    enrolled: enrolled?.n ?? 0,
    lessons: rows.map((r) => ({
      lessonId: r.lesson_id,
      position: r.position,
      titleZh: r.title_zh,
      titleEn: r.title_en,
      reached: r.reached,
      completed: r.completed,
      droppedBeforeNext: r.is_last ? null : r.dropped,
      watched: [r.w0, r.w1, r.w2, r.w3, r.w4],
    })),
  };
}
