import { testSql } from './db.js';

/** A fresh session of the demo live class (Fuzhou University → Guangze and Minqing classrooms), starting now. */
export async function newDemoSession(opts: { slides?: string[]; lessonPosition?: number } = {}): Promise<string> {
  const db = testSql();
  const [row] = await db<{ id: string }[]>`
    insert into live_sessions (live_class_id, lesson_id, starts_at, ends_at, slides)
    select lc.id, l.id, now(), now() + interval '2 hours', ${JSON.stringify(opts.slides ?? ['one', 'two', 'three'])}::jsonb
    from live_classes lc
    join users u on u.id = lc.teacher_id and u.email = 'teacher@demo.edu.cn'
    join courses c on c.id = lc.course_id and c.slug = 'fzu-linear-algebra-1'
    join lessons l on l.course_id = c.id and l.position = ${opts.lessonPosition ?? 1}
    limit 1
    returning id`;
  return row!.id;
}

export async function classroomIdByName(nameZh: string): Promise<string> {
  const [row] = await testSql()<{ id: string }[]>`select id from classrooms where name_zh = ${nameZh}`;
  return row!.id;
}
